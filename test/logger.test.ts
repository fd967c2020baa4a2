import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { maskName, maskPhone } from "../src/util/privacy.ts";

describe("logger", () => {
  it("writes JSON and never a patient's phone or name in clear", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "info", pretty: false, destination });
    logger.info({ phone: "+79991234567", patient: { fullName: "Петрова Анна", phone: "+79991234567" } }, "linked");
    const out = lines.join("");
    expect(JSON.parse(out)).toMatchObject({ msg: "linked", phone: "+7999***4567", patient: { fullName: "П*** А***" } });
    expect(out).not.toContain("+79991234567");
    expect(out).not.toContain("Петрова");
  });

  it("masks what is masked the same way every time", () => {
    expect(maskPhone("+7 (999) 123-45-67")).toBe("+7999***4567");
    expect(maskPhone("12")).toBe("***");
    expect(maskName("Иван")).toBe("И***");
  });
});
