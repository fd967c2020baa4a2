import { describe, expect, it } from "vitest";
import { flowsOf, PATH_GROUPS, shippedFlowIds, walkPaths } from "./paths-walk.ts";

// The flows with the most paths are walked in paths-<group>.test.ts, in parallel; this file walks
// every other flow, and checks that the groups together walk each shipped flow exactly once.
walkPaths("rest");

describe("the path walk's groups", () => {
  it("cover every shipped flow once, and each named flow exists", () => {
    const walked = (["rest", ...Object.keys(PATH_GROUPS)] as const).flatMap((g) => flowsOf(g as Parameters<typeof flowsOf>[0]).map((f) => f.id));
    expect(walked.sort()).toEqual(shippedFlowIds().sort());
    for (const ids of Object.values(PATH_GROUPS)) for (const id of ids) expect(shippedFlowIds()).toContain(id);
  });
});
