# syntax=docker/dockerfile:1
#
# SmartSplit in a container. Build and run:
#   docker build -t smartsplit .
#   docker run -d -p 8420:8420 -v smartsplit-data:/data \
#     -e SMARTSPLIT_API_KEY="$(openssl rand -hex 24)" -e GROQ_API_KEY=gsk_... smartsplit
# or, with the keys in .env (see .env.example): docker compose up -d
#
# Inside the container SmartSplit binds 0.0.0.0, so the published port is reachable from outside the
# container. Off loopback SmartSplit refuses to start without an access key: set SMARTSPLIT_API_KEY
# (clients send it as their API key), or pass --insecure explicitly to serve it open on a network you
# trust (docker run ... smartsplit --host 0.0.0.0 --data-dir /data --insecure).

# ---- build: all dependencies, TypeScript → dist/, then drop the dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is native. npm ci normally fetches its prebuilt binary (glibc, x64/arm64); the toolchain
# is the fallback that compiles it where no binary exists. It stays in this stage: the runtime image gets
# the built module only, on the same Debian base so the glibc matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and dist/ only, as the unprivileged "node" user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# package.json is read at start for the version; the application files belong to root, read-only to
# the user that runs them.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The SQLite store (usage, learning, request log) lives in /data, owner-only like on a desktop. A new
# named volume takes this owner and mode; a bind-mounted directory must be writable by uid 1000.
RUN mkdir -p /data \
 && chown node:node /data \
 && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8420
# No curl in the image: Node's own fetch asks /health, which answers without an access key: 200 when a
# provider can serve, 503 (so the container shows "unhealthy") while none is configured.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8420/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: in-flight requests finish before it exits.
ENTRYPOINT ["node", "dist/main.js"]
CMD ["--host", "0.0.0.0", "--port", "8420", "--data-dir", "/data"]
