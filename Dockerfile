# oss-pai-sync: the compiled build on node 20, run as a non-root user.
#   docker build -t oss-pai-sync .
#   docker run --rm -e REDIS_URL=redis://redis:6379 oss-pai-sync worker
# No Docker engine runs in this project's CI: test/e2e/package.slow.test.ts runs the runtime stage's steps
# (npm ci --omit=dev on the packed tarball, then the CLI) outside Docker.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md ./
COPY src src
COPY workers workers
# The same tarball `npm pack` gives users: dist/ and README only.
RUN npm run build && npm pack --ignore-scripts --pack-destination /pkg

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /pkg /pkg
COPY --from=build /src/package-lock.json /pkg/
RUN tar xzf /pkg/oss-pai-sync-*.tgz --strip-components=1 -C /app \
  && cp /pkg/package-lock.json /app/ \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force \
  && rm -rf /pkg \
  && chmod 755 /app/dist/src/cli/entry.js \
  && ln -s /app/dist/src/cli/entry.js /usr/local/bin/oss-pai-sync \
  && mkdir /data && chown node:node /data
# /data: a writable place for the non-root user (the emulators' --data-dir in docker-compose.yml).
USER node
ENTRYPOINT ["oss-pai-sync"]
CMD ["worker"]
