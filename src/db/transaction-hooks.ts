/** Who watches the transactions CareBot runs itself (own-transactions.ts), set when the adapter is made. */
export interface TransactionHooks {
  /** Sees every statement run in these transactions (benchmarks count them). */
  onStatement?: (sql: string) => void;
  /** Sees every transaction begun here. */
  onTransaction?: () => void;
}
