// The segment builder's live answer: how many patients a segment holds now, who the rules leave
// out, and five of them to recognise (names and phones masked: enough to check, not to read).
import { DateTime } from "luxon";
import type { Database } from "../../db/client.ts";
import type { SegmentScope } from "../../domain/segments/compile.ts";
import { sampleSegment, segmentBreakdown } from "../../domain/segments/query.ts";
import type { SegmentBreakdown } from "../../domain/segments/query.ts";
import type { Segment } from "../../domain/segments/schema.ts";
import { maskedPatientName, maskPhone } from "../../util/privacy.ts";

export const SEGMENT_SAMPLE_SIZE = 5;

export interface SegmentPreview extends SegmentBreakdown {
  sample: { name: string; phone: string | null; lastVisit: string | null; balance: number }[];
}

export async function previewSegment(db: Database, segment: Segment, scope: SegmentScope): Promise<SegmentPreview> {
  const counts = await segmentBreakdown(db, segment, scope);
  const patients = await sampleSegment(db, segment, scope, SEGMENT_SAMPLE_SIZE);
  return {
    ...counts,
    sample: patients.map((p) => ({
      name: maskedPatientName(p.fullName),
      phone: p.phone ? maskPhone(p.phone) : null,
      lastVisit: p.lastCompletedVisitAt ? DateTime.fromJSDate(p.lastCompletedVisitAt, { zone: scope.timezone }).toISODate() : null,
      balance: p.balance,
    })),
  };
}
