// The questions asked of a segment (its size, what the rules left out, a sample), answered by one
// typed statement each in src/db/queries/segments.ts.
export { countSegment, sampleSegment, segmentBreakdown } from "../../db/queries/segments.ts";
export type { SegmentBreakdown, SegmentPatient } from "../../db/queries/segments.ts";
