/** A debit larger than what the patient can spend: the caller shows the balance and asks again. */
export class InsufficientPointsError extends Error {
  override readonly name = "InsufficientPointsError";
  constructor(
    readonly requested: number,
    readonly balance: number,
  ) {
    super(`cannot take ${requested} bonus points: the balance is ${balance}`);
  }
}
