# syntax=docker/dockerfile:1
# Build stage: install everything, build the web app.
FROM node:20-bookworm-slim AS build
WORKDIR /srv/medaffairs
COPY . .
RUN npm ci && npm run build -w app && npm prune --omit=dev

# Runtime stage: the built app and production dependencies only, as a non-root user.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei tini \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --system --create-home --uid 10001 medaffairs \
  && mkdir -p /data && chown medaffairs /data
WORKDIR /srv/medaffairs
COPY --from=build --chown=medaffairs /srv/medaffairs /srv/medaffairs
USER medaffairs
# DATABASE_URL (a PostgreSQL server) takes precedence over the embedded database in DATA_DIR.
ENV NODE_ENV=production PORT=3030 DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3030
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["npm", "start"]
