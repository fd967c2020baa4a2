import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "./util/timezone.ts";

/** A configuration problem worth one clear line to the operator of the service, not a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const DEFAULT_SQLITE_URL = "file:./data/carebot.db";

const databaseUrl = z
  .string()
  .trim()
  .refine((url) => /^file:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url), {
    message: 'must be "file:<path>" (SQLite) or "postgresql://user:pass@host:port/db"',
  })
  .refine((url) => !/^postgres/.test(url) || URL.canParse(url), { message: "is not a valid PostgreSQL URL" });

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be from 1 to 65535 (0 picks a free port)")
  .max(65535, "must be from 1 to 65535 (0 picks a free port)");

const timeZone = z.string().trim().refine(isValidTimeZone, { message: 'must be an IANA time zone such as "Europe/Moscow"' });

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"], { message: "must be 1/0, true/false or yes/no" })
  .transform((v) => v === "1" || v === "true" || v === "yes");

// proxy-addr's names for address ranges, as Fastify's trustProxy takes them.
const PROXY_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);
const isProxyAddress = (entry: string): boolean => {
  if (PROXY_RANGES.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Whose X-Forwarded-For/-Proto/-Host to believe: off (the default: the peer is the client), on
 * (every peer is a proxy: only when nothing but the proxy can reach CareBot), or the proxies'
 * own addresses ("127.0.0.1", "10.0.0.0/8,loopback").
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): boolean | string[] => {
    const lower = value.toLowerCase();
    if (["1", "true", "yes"].includes(lower)) return true;
    if (["0", "false", "no"].includes(lower)) return false;
    const entries = value.split(",").map((e) => e.trim()).filter(Boolean);
    const bad = entries.find((e) => !isProxyAddress(e));
    if (entries.length === 0 || bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `must be 1/0, or the reverse proxy's addresses such as "127.0.0.1" or "10.0.0.0/8,loopback"${bad ? ` ("${bad}" is not one)` : ""}` });
      return z.NEVER;
    }
    return entries;
  });

const envSchema = z.object({
  DATABASE_URL: databaseUrl.default(DEFAULT_SQLITE_URL),
  HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  TRUST_PROXY: trustProxy.optional(),
  PORT: port.default(3000),
  CLINIC_TIMEZONE: timeZone.default("Europe/Moscow"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SEED_DEMO: bool.default(true),
  SCHEDULER_ENABLED: bool.default(true),
  CLINIC_SLUG: z.string().trim().regex(/^[a-z0-9-]+$/, "must be a clinic slug such as demo").optional(),
  TELEGRAM_BOT_TOKEN: z.string().trim().regex(/^\d+:[\w-]{20,}$/, 'must look like "123456789:AA…" (from @BotFather)').optional(),
  TELEGRAM_API_ROOT: z.url({ message: "must be a URL such as https://api.telegram.org" }).optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ message: "must be the public https URL Telegram posts to, ending in /telegram/webhook" }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 letters, digits, _ or -").optional(),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number({ message: "must be a number" }).positive("must be above 0").max(30, "must be at most 30 (Telegram's own limit)").default(25),
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number({ message: "must be a number" }).int().min(0).default(1000),
  // MAX (max.ru): the token from the bot's settings on business.max.ru, sent as the Authorization header.
  MAX_BOT_TOKEN: z.string().trim().regex(/^[\w-]{16,512}$/, "must be the bot token from MAX's business platform (letters, digits, _ or -)").optional(),
  MAX_API_URL: z.url({ message: "must be a URL such as https://platform-api2.max.ru" }).optional(),
  MAX_WEBHOOK_URL: z.url({ message: "must be the public https URL MAX posts to, ending in /max/webhook" }).optional(),
  MAX_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 letters, digits, _ or -").optional(),
  MAX_RATE_PER_SECOND: z.coerce.number({ message: "must be a number" }).positive("must be above 0").max(30, "must be at most 30 (MAX's own limit)").default(25),
  MAX_CHAT_INTERVAL_MS: z.coerce.number({ message: "must be a number" }).int().min(0).default(1000),
  WHATSAPP_ENABLED: bool.default(false),
  WHATSAPP_SESSION_DIR: z.string().trim().min(1).default("data/whatsapp"),
  CHROMIUM_PATH: z.string().trim().min(1).default("/usr/bin/chromium"),
  WHATSAPP_MIN_INTERVAL_MS: z.coerce.number({ message: "must be a number" }).int().min(1000, "must be at least 1000: faster sending gets numbers banned").default(3000),
  WHATSAPP_JITTER_MS: z.coerce.number({ message: "must be a number" }).int().min(0).default(2000),
  // web: whatsapp-web.js (a linked phone, ban risk); cloud: Meta's official WhatsApp Cloud API.
  WHATSAPP_TRANSPORT: z.enum(["web", "cloud"], { message: 'must be "web" (WhatsApp Web) or "cloud" (WhatsApp Cloud API)' }).default("web"),
  WHATSAPP_CLOUD_TOKEN: z.string().trim().min(20, "must be the Cloud API access token (a system user's permanent token)").optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().trim().regex(/^\d{5,30}$/, "must be the Phone number ID from WhatsApp Manager (digits)").optional(),
  WHATSAPP_APP_SECRET: z.string().trim().min(16, "must be the Meta app's App secret (it signs every webhook)").optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().trim().min(8, "must be at least 8 characters (you type the same in the app's webhook settings)").optional(),
  WHATSAPP_GRAPH_URL: z
    .string()
    .trim()
    .refine((url) => /^https?:\/\//.test(url) && URL.canParse(url), { message: 'must be the Graph API address with its version, such as "https://graph.facebook.com/v21.0"' })
    .default("https://graph.facebook.com/v21.0"),
  FLOWS_DIR: z.string().trim().min(1).default("flows"),
  TEMPLATES_DIR: z.string().trim().min(1).default("templates"),
  API_TOKEN: z.string().trim().min(24, "must be at least 24 characters (for example the output of `openssl rand -hex 32`)").optional(),
  // Urgent escalations are announced in this Telegram chat (a staff group: "-1001234567890", or "@channel").
  OPERATORS_TELEGRAM_CHAT_ID: z
    .string()
    .trim()
    .regex(/^(-?[1-9]\d{0,19}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, 'must be a Telegram chat id such as "-1001234567890" or a "@channel" name')
    .optional(),
  // Every appointment change made in the chat is POSTed here, signed with HMAC-SHA256 of the body.
  MIS_WEBHOOK_URL: z
    .string()
    .trim()
    .refine((url) => /^https?:\/\//.test(url) && URL.canParse(url), { message: 'must be the http(s) address of the MIS\'s endpoint, such as "https://mis.clinic.ru/carebot"' })
    .optional(),
  MIS_WEBHOOK_SECRET: z.string().trim().min(24, "must be at least 24 characters (for example the output of `openssl rand -hex 32`)").optional(),
  /** Where operators reach this service from outside (links in alerts); default http://localhost:<PORT>. */
  PUBLIC_URL: z
    .string()
    .trim()
    .refine((url) => /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(url) && URL.canParse(url), { message: 'must be the http(s) address operators open, such as "https://carebot.clinic.ru"' })
    .optional(),
});

export type Env = z.input<typeof envSchema>;

export interface TelegramConfig {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret: string };
  perSecond: number;
  perChatIntervalMs: number;
}

export interface MaxConfig {
  token: string;
  /** The Bot API's address; MAX's own (platform-api2.max.ru) when unset. */
  apiUrl?: string;
  webhook?: { url: string; secret: string };
  perSecond: number;
  perChatIntervalMs: number;
}

export interface DatabaseConfig {
  provider: "sqlite" | "postgresql";
  url: string;
  /** SQLite only: the absolute path of the database file. */
  file?: string;
}

export interface WhatsAppConfig {
  sessionDir: string;
  chromiumPath: string;
  minIntervalMs: number;
  jitterMs: number;
}

export interface WhatsAppCloudConfig {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  graphUrl: string;
}

export interface Config {
  database: DatabaseConfig;
  host: string;
  port: number;
  /**
   * TRUST_PROXY: which peers are reverse proxies whose X-Forwarded-* headers tell the client's
   * address and protocol (Fastify's trustProxy); false: the peer is the client, the headers are ignored.
   */
  trustProxy: boolean | string[];
  clinicTimeZone: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** Seed the demo clinic when the database has no clinic yet. */
  seedDemo: boolean;
  /** Run the scheduled jobs (planners, flow timers) in this process; SCHEDULER_ENABLED, default on. */
  schedulerEnabled: boolean;
  /** Present when WHATSAPP_ENABLED=1 with the web transport (the default). */
  whatsapp?: WhatsAppConfig;
  /** Present when WHATSAPP_TRANSPORT=cloud: the official WhatsApp Cloud API instead of WhatsApp Web. */
  whatsappCloud?: WhatsAppCloudConfig;
  /** Present when TELEGRAM_BOT_TOKEN is set. */
  telegram?: TelegramConfig;
  /** Present when MAX_BOT_TOKEN is set. */
  max?: MaxConfig;
  /** The clinic this CareBot serves; unset means the only clinic in the database. */
  clinicSlug?: string;
  /** The clinic's flow files and message texts (absolute paths). */
  flowsDir: string;
  templatesDir: string;
  /** The bearer token of the clinic-MIS API (/api); the API answers 503 while it is unset. */
  apiToken?: string;
  /** The service's address as operators open it, without a trailing slash (links in alerts). */
  publicUrl: string;
  /** Present when OPERATORS_TELEGRAM_CHAT_ID is set: urgent escalations are posted to that chat. */
  operatorAlerts?: { telegramChatId: string };
  /** Present when MIS_WEBHOOK_URL is set: appointment changes are POSTed there, signed with the secret. */
  misWebhook?: { url: string; secret: string };
}

export function databaseConfig(url: string, cwd = process.cwd()): DatabaseConfig {
  if (url.startsWith("file:")) {
    const file = path.resolve(cwd, url.slice("file:".length));
    return { provider: "sqlite", url, file };
  }
  return { provider: "postgresql", url };
}

/** Reads the environment; throws a ConfigError naming the first bad variable and what it allows. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const got = present[name];
    const secret = ["TELEGRAM_BOT_TOKEN", "MAX_BOT_TOKEN", "MAX_WEBHOOK_SECRET", "API_TOKEN", "MIS_WEBHOOK_SECRET", "WHATSAPP_CLOUD_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"].includes(name);
    const shown = secret ? undefined : name === "DATABASE_URL" && got ? redactUrl(got) : got;
    throw new ConfigError(`${name} ${issue.message}${shown === undefined ? "" : ` (got "${shown}")`}`);
  }
  const e = parsed.data;
  if (e.MIS_WEBHOOK_URL && !e.MIS_WEBHOOK_SECRET) {
    throw new ConfigError("MIS_WEBHOOK_SECRET must be set when MIS_WEBHOOK_URL is (every call is signed with it)");
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError("TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is (Telegram sends it with every update)");
  }
  if ((e.TELEGRAM_WEBHOOK_URL || e.TELEGRAM_API_ROOT) && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError("TELEGRAM_BOT_TOKEN must be set to use the other TELEGRAM_ variables");
  }
  if (e.MAX_WEBHOOK_URL && !e.MAX_WEBHOOK_SECRET) {
    throw new ConfigError("MAX_WEBHOOK_SECRET must be set when MAX_WEBHOOK_URL is (MAX sends it with every update)");
  }
  if ((e.MAX_WEBHOOK_URL || e.MAX_API_URL) && !e.MAX_BOT_TOKEN) {
    throw new ConfigError("MAX_BOT_TOKEN must be set to use the other MAX_ variables");
  }
  if (e.OPERATORS_TELEGRAM_CHAT_ID && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError("TELEGRAM_BOT_TOKEN must be set to use OPERATORS_TELEGRAM_CHAT_ID (alerts are sent by the clinic's Telegram bot)");
  }
  const cloud = e.WHATSAPP_TRANSPORT === "cloud";
  if (cloud) {
    const missing = (["WHATSAPP_CLOUD_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"] as const).filter((name) => !e[name]);
    if (missing.length > 0) throw new ConfigError(`${missing.join(", ")} must be set when WHATSAPP_TRANSPORT=cloud (see README, "WhatsApp: Web or Cloud API")`);
  }
  return {
    database: databaseConfig(e.DATABASE_URL, cwd),
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY ?? false,
    clinicTimeZone: e.CLINIC_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    schedulerEnabled: e.SCHEDULER_ENABLED,
    clinicSlug: e.CLINIC_SLUG,
    whatsapp: e.WHATSAPP_ENABLED && !cloud
      ? { sessionDir: path.resolve(cwd, e.WHATSAPP_SESSION_DIR), chromiumPath: e.CHROMIUM_PATH, minIntervalMs: e.WHATSAPP_MIN_INTERVAL_MS, jitterMs: e.WHATSAPP_JITTER_MS }
      : undefined,
    whatsappCloud: cloud
      ? { token: e.WHATSAPP_CLOUD_TOKEN!, phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID!, appSecret: e.WHATSAPP_APP_SECRET!, verifyToken: e.WHATSAPP_VERIFY_TOKEN!, graphUrl: e.WHATSAPP_GRAPH_URL.replace(/\/+$/, "") }
      : undefined,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhook: e.TELEGRAM_WEBHOOK_URL ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET! } : undefined,
          perSecond: e.TELEGRAM_RATE_PER_SECOND,
          perChatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS,
        }
      : undefined,
    max: e.MAX_BOT_TOKEN
      ? {
          token: e.MAX_BOT_TOKEN,
          apiUrl: e.MAX_API_URL,
          webhook: e.MAX_WEBHOOK_URL ? { url: e.MAX_WEBHOOK_URL, secret: e.MAX_WEBHOOK_SECRET! } : undefined,
          perSecond: e.MAX_RATE_PER_SECOND,
          perChatIntervalMs: e.MAX_CHAT_INTERVAL_MS,
        }
      : undefined,
    flowsDir: path.resolve(cwd, e.FLOWS_DIR),
    templatesDir: path.resolve(cwd, e.TEMPLATES_DIR),
    apiToken: e.API_TOKEN,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    operatorAlerts: e.OPERATORS_TELEGRAM_CHAT_ID ? { telegramChatId: e.OPERATORS_TELEGRAM_CHAT_ID } : undefined,
    misWebhook: e.MIS_WEBHOOK_URL ? { url: e.MIS_WEBHOOK_URL, secret: e.MIS_WEBHOOK_SECRET! } : undefined,
  };
}

/** A database URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
