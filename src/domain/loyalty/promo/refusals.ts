// Why a promo code is refused, in words a clinic's administrator (API) can pass on as they are.
// The patient's own texts for the same reasons are templates (promo.refused).
export const PROMO_REFUSALS = ["unknown", "inactive", "not_started", "ended", "used_up", "already_used", "wrong_service"] as const;
export type PromoRefusal = (typeof PROMO_REFUSALS)[number];

const RU: Record<PromoRefusal, string> = {
  unknown: "Такого промокода нет: проверьте, как он написан.",
  inactive: "Этот промокод больше не действует.",
  not_started: "Этот промокод ещё не начал действовать.",
  ended: "Срок действия этого промокода закончился.",
  used_up: "Этот промокод уже использован максимальное число раз.",
  already_used: "Пациент уже воспользовался этим промокодом: повторно его применить нельзя.",
  wrong_service: "Этот промокод не действует на эту услугу.",
};
const EN: Record<PromoRefusal, string> = {
  unknown: "There is no such promo code: check how it is written.",
  inactive: "This promo code is no longer valid.",
  not_started: "This promo code is not valid yet.",
  ended: "This promo code has expired.",
  used_up: "This promo code has been used the greatest number of times allowed.",
  already_used: "The patient has already used this promo code: it cannot be applied again.",
  wrong_service: "This promo code does not apply to this service.",
};

export class PromoRefused extends Error {
  override name = "PromoRefused";
  readonly messageEn: string;
  constructor(readonly reason: PromoRefusal) {
    super(RU[reason]);
    this.messageEn = EN[reason];
  }
}
