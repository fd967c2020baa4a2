import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactUrl } from "../src/config.ts";

describe("loadConfig", () => {
  it("starts on embedded SQLite, localhost:3000, Moscow time when nothing is set", () => {
    const config = loadConfig({}, "/srv/carebot");
    expect(config.database).toEqual({ provider: "sqlite", url: "file:./data/carebot.db", file: path.resolve("/srv/carebot/data/carebot.db") });
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(3000);
    expect(config.clinicTimeZone).toBe("Europe/Moscow");
    expect(config.seedDemo).toBe(true);
  });

  it("switches to PostgreSQL on a postgresql:// URL", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://carebot:secret@db:5432/carebot" });
    expect(config.database.provider).toBe("postgresql");
  });

  it("believes X-Forwarded-* from nobody by default; TRUST_PROXY names the proxies or trusts every peer", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback,::1" }).trustProxy).toEqual(["127.0.0.1", "10.0.0.0/8", "loopback", "::1"]);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).port).toBe(3000);
  });

  it.each([
    [{ PORT: "abc" }, 'PORT must be a number (got "abc")'],
    [{ PORT: "70000" }, 'PORT must be from 1 to 65535 (0 picks a free port) (got "70000")'],
    [{ PORT: "80.5" }, 'PORT must be a whole number (got "80.5")'],
    [{ DATABASE_URL: "mysql://x" }, 'DATABASE_URL must be "file:<path>" (SQLite) or "postgresql://user:pass@host:port/db" (got "mysql://x")'],
    [{ CLINIC_TIMEZONE: "Moscow" }, 'CLINIC_TIMEZONE must be an IANA time zone such as "Europe/Moscow" (got "Moscow")'],
    [{ SEED_DEMO: "maybe" }, 'SEED_DEMO must be 1/0, true/false or yes/no (got "maybe")'],
    [{ OPERATORS_TELEGRAM_CHAT_ID: "staff group" }, 'OPERATORS_TELEGRAM_CHAT_ID must be a Telegram chat id such as "-1001234567890" or a "@channel" name (got "staff group")'],
    [{ OPERATORS_TELEGRAM_CHAT_ID: "-1001234567890" }, "TELEGRAM_BOT_TOKEN must be set to use OPERATORS_TELEGRAM_CHAT_ID"],
    [{ MIS_WEBHOOK_URL: "mis.clinic.ru/carebot" }, "MIS_WEBHOOK_URL must be the http(s) address of the MIS's endpoint"],
    [{ MIS_WEBHOOK_URL: "https://mis.clinic.ru/carebot" }, "MIS_WEBHOOK_SECRET must be set when MIS_WEBHOOK_URL is"],
    [{ MIS_WEBHOOK_URL: "https://mis.clinic.ru/carebot", MIS_WEBHOOK_SECRET: "short" }, "MIS_WEBHOOK_SECRET must be at least 24 characters"],
    [{ PUBLIC_URL: "carebot.clinic.ru" }, 'PUBLIC_URL must be the http(s) address operators open, such as "https://carebot.clinic.ru" (got "carebot.clinic.ru")'],
    [{ PUBLIC_URL: "ftp://carebot.clinic.ru" }, 'PUBLIC_URL must be the http(s) address operators open'],
    [{ PUBLIC_URL: "https://carebot.clinic.ru/?x=1" }, 'PUBLIC_URL must be the http(s) address operators open'],
    [{ TRUST_PROXY: "nginx" }, 'TRUST_PROXY must be 1/0, or the reverse proxy\'s addresses such as "127.0.0.1" or "10.0.0.0/8,loopback" ("nginx" is not one) (got "nginx")'],
    [{ TRUST_PROXY: "10.0.0.0/33" }, 'TRUST_PROXY must be 1/0, or the reverse proxy\'s addresses'],
    [{ MAX_BOT_TOKEN: "short" }, "MAX_BOT_TOKEN must be the bot token from MAX's business platform"],
    [{ MAX_API_URL: "https://platform-api2.max.ru" }, "MAX_BOT_TOKEN must be set to use the other MAX_ variables"],
    [{ MAX_BOT_TOKEN: "max-token-0123456789abcdef", MAX_WEBHOOK_URL: "https://carebot.clinic.ru/max/webhook" }, "MAX_WEBHOOK_SECRET must be set when MAX_WEBHOOK_URL is"],
    [{ MAX_BOT_TOKEN: "max-token-0123456789abcdef", MAX_RATE_PER_SECOND: "50" }, "MAX_RATE_PER_SECOND must be at most 30 (MAX's own limit)"],
    [{ WHATSAPP_TRANSPORT: "api" }, 'WHATSAPP_TRANSPORT must be "web" (WhatsApp Web) or "cloud" (WhatsApp Cloud API) (got "api")'],
    [{ WHATSAPP_TRANSPORT: "cloud", WHATSAPP_CLOUD_TOKEN: "EAAG-token-0123456789-abcdef" }, "WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN must be set when WHATSAPP_TRANSPORT=cloud"],
    [{ WHATSAPP_APP_SECRET: "short" }, "WHATSAPP_APP_SECRET must be the Meta app's App secret (it signs every webhook)"],
  ])("refuses %o with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("links alerts to PUBLIC_URL (without a trailing slash), by default http://localhost:<PORT>; alerts only with a chat id", () => {
    expect(loadConfig({}).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ PUBLIC_URL: "https://carebot.clinic.ru/" }).publicUrl).toBe("https://carebot.clinic.ru");
    expect(loadConfig({}).operatorAlerts).toBeUndefined();
    const token = "123456789:AAbbCCddEEffGGhhIIjjKKll";
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, OPERATORS_TELEGRAM_CHAT_ID: "-1001234567890" }).operatorAlerts).toEqual({ telegramChatId: "-1001234567890" });
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, OPERATORS_TELEGRAM_CHAT_ID: "@clinic_staff" }).operatorAlerts).toEqual({ telegramChatId: "@clinic_staff" });
    expect(loadConfig({ MIS_WEBHOOK_URL: "https://mis.clinic.ru/carebot", MIS_WEBHOOK_SECRET: "s".repeat(32) }).misWebhook).toEqual({ url: "https://mis.clinic.ru/carebot", secret: "s".repeat(32) });
  });

  it("turns the MAX bot on with its token: polling by default, a webhook with URL and secret", () => {
    const token = "max-token-0123456789abcdef";
    expect(loadConfig({}).max).toBeUndefined();
    expect(loadConfig({ MAX_BOT_TOKEN: token }).max).toEqual({ token, apiUrl: undefined, webhook: undefined, perSecond: 25, perChatIntervalMs: 1000 });
    const secret = "max-secret-0123456789";
    expect(loadConfig({ MAX_BOT_TOKEN: token, MAX_WEBHOOK_URL: "https://carebot.clinic.ru/max/webhook", MAX_WEBHOOK_SECRET: secret }).max?.webhook).toEqual({
      url: "https://carebot.clinic.ru/max/webhook",
      secret,
    });
    // The token is a credential: a malformed one is named, never echoed.
    expect(() => loadConfig({ MAX_BOT_TOKEN: "bad token!" })).toThrow(/^MAX_BOT_TOKEN must be the bot token from MAX's business platform \(letters, digits, _ or -\)$/);
  });

  it("WHATSAPP_TRANSPORT=cloud takes the Cloud API's four values (Graph at Meta by default) instead of WhatsApp Web", () => {
    const cloud = { WHATSAPP_TRANSPORT: "cloud", WHATSAPP_ENABLED: "1", WHATSAPP_CLOUD_TOKEN: "EAAG-token-0123456789-abcdef", WHATSAPP_PHONE_NUMBER_ID: "109876543210", WHATSAPP_APP_SECRET: "0123456789abcdef0123", WHATSAPP_VERIFY_TOKEN: "verify-me-please" };
    const config = loadConfig(cloud);
    expect(config.whatsapp).toBeUndefined();
    expect(config.whatsappCloud).toEqual({ token: cloud.WHATSAPP_CLOUD_TOKEN, phoneNumberId: "109876543210", appSecret: cloud.WHATSAPP_APP_SECRET, verifyToken: "verify-me-please", graphUrl: "https://graph.facebook.com/v21.0" });
    expect(loadConfig({ ...cloud, WHATSAPP_GRAPH_URL: "http://127.0.0.1:9999/v21.0/" }).whatsappCloud?.graphUrl).toBe("http://127.0.0.1:9999/v21.0");
    expect(loadConfig({ WHATSAPP_ENABLED: "1" }).whatsappCloud).toBeUndefined();
  });

  it("never repeats a database password in its error", () => {
    expect(redactUrl("postgresql://carebot:s3cret@db:5432/x")).toBe("postgresql://carebot:***@db:5432/x");
  });
});
