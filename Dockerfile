# CareBot on Node 20 (Debian bookworm). Runs the TypeScript sources through tsx, as `npm start` does.
FROM node:20-bookworm-slim

# Chromium for whatsapp-web.js (puppeteer's own download is switched off by .puppeteerrc.cjs);
# python3, make and g++ build better-sqlite3 against Node's headers during npm ci.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation ca-certificates python3 make g++ tini curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src/db/schema-source.ts ./src/db/schema-source.ts
# npm ci runs postinstall, which generates the Prisma clients for both databases.
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /data /wwebjs && chown -R node:node /data /wwebjs /app/src/db/generated

USER node
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/carebot.db \
    CHROMIUM_PATH=/usr/bin/chromium \
    WHATSAPP_SESSION_DIR=/wwebjs
VOLUME ["/data", "/wwebjs"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/carebot.js", "start"]
