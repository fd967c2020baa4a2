import { describe, expect, it } from "vitest";
import { channelOrderSchema, parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { zodErrorMap } from "../../../src/i18n/zod.ts";

describe("settings.channelOrder: the clinic's order of messengers", () => {
  it("defaults to Telegram, then MAX, then WhatsApp", () => {
    expect(parseClinicSettings({}).channelOrder).toEqual(["telegram", "max", "whatsapp"]);
  });

  it("takes a clinic's own order, in any case and with spaces", () => {
    expect(parseClinicSettings({ channelOrder: [" MAX", "Telegram"] }).channelOrder).toEqual(["max", "telegram"]);
  });

  it("refuses an unknown messenger and a messenger named twice, saying so in Russian and English", () => {
    const unknown = channelOrderSchema.safeParse(["telegram", "viber"], { error: zodErrorMap("ru") });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]).toMatchObject({ path: [1], message: "нужен мессенджер: Telegram, MAX или WhatsApp" });
    const twice = channelOrderSchema.safeParse(["max", "max"], { error: zodErrorMap("en") });
    expect(twice.error?.issues[0]?.message).toBe("names a messenger twice");
    const twiceRu = channelOrderSchema.safeParse(["max", "max"], { error: zodErrorMap("ru") });
    expect(twiceRu.error?.issues[0]?.message).toBe("мессенджер указан дважды");
    expect(channelOrderSchema.safeParse([], { error: zodErrorMap("ru") }).success).toBe(false);
  });
});
