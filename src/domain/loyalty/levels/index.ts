// Status levels: the public API for visits, the MIS API, flows and the console.
export { levelFor, levelRank, levelsInOrder, levelById, rulesAtLevel } from "./level-rules.ts";
export { levelInForce, rulesInForce } from "./in-force.ts";
export { recalculateLevel } from "./recalculate.ts";
export type { LevelResult, LevelChange } from "./recalculate.ts";
export { paidOverPeriod } from "./paid.ts";
export { LEVEL_FLOW, levelUpKey, levelDownKey } from "./announce.ts";
