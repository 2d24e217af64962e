# Multi-stage: dependencies resolved in a build stage, a runtime image with production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds dist/ with TypeScript, a dev dependency; the image runs src/ through tsx.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
USER node
EXPOSE 3000
# tsx strips types at start-up, so the image runs the same files as development.
CMD ["node", "--import", "tsx", "src/main.ts"]
