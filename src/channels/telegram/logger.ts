export { silentLogger } from "../logger.ts";
export type { ChannelLogger as TelegramLogger } from "../logger.ts";
