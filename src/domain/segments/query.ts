// The questions asked of a segment (its size, what the rules left out, a sample), each answered by
// one typed statement in src/db/queries/segments.ts over the segment's criteria on the scope's day.
import type { Database } from "../../db/client.ts";
import { countSegment as countCriteria, sampleSegment as sampleCriteria, segmentBreakdown as breakdownOf } from "../../db/queries/segments.ts";
import type { SegmentBreakdown, SegmentPatient } from "../../db/queries/segments.ts";
import { segmentCriteria } from "./compile.ts";
import type { SegmentScope } from "./compile.ts";
import type { Segment } from "./schema.ts";

export type { SegmentBreakdown, SegmentPatient };

/** How many patients are in the segment. */
export function countSegment(db: Database, segment: Segment, scope: SegmentScope): Promise<number> {
  return countCriteria(db, segmentCriteria(segment, scope));
}

/** The segment's size and what the rules left out. */
export function segmentBreakdown(db: Database, segment: Segment, scope: SegmentScope): Promise<SegmentBreakdown> {
  return breakdownOf(db, segmentCriteria(segment, scope));
}

/** Up to `limit` patients of the segment, the longest-absent first. */
export function sampleSegment(db: Database, segment: Segment, scope: SegmentScope, limit: number): Promise<SegmentPatient[]> {
  return sampleCriteria(db, segmentCriteria(segment, scope), limit);
}
