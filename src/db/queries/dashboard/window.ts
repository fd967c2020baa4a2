// Whose figures and over which time: every dashboard query takes the clinic, a window of time
// (src/operators/dashboard/periods.ts fixes it from the clock) and, for some, one branch.
export interface FigureWindow {
  clinicId: number;
  /** The window's first and last instants, both included. */
  from: Date;
  until: Date;
  /** Only this branch's figures (src/db/queries/dashboard/branch-filter.ts says which rows are a branch's). */
  branchId?: number;
}
