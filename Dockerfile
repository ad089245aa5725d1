# syntax=docker/dockerfile:1
# Build stage: the whole workspace, to build the API bundle and the console.
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NG_CLI_ANALYTICS=false CI=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NODE_ENV=production npx nx run-many -t build -p api admin \
 && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: production dependencies, the API bundle and the console; runs as an unprivileged user.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production PORT=3000 KEYRING_CONSOLE_DIR=/app/console
WORKDIR /app
COPY --from=build --chown=node:node /src/node_modules ./node_modules
COPY --from=build --chown=node:node /src/dist/apps/api ./api
COPY --from=build --chown=node:node /src/dist/apps/admin/browser ./console
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "api/main.js"]
