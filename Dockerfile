# Build and run Jury in a container. The release binary embeds the frontend and migrations.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/jury

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/jury jury \
    && mkdir -p /var/lib/jury && chown jury /var/lib/jury
COPY --from=build /src/target/release/jury /usr/local/bin/jury
USER jury
WORKDIR /var/lib/jury
ENV JURY_BIND=0.0.0.0:8080 JURY_DATA_DIR=/var/lib/jury
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["jury"]
CMD ["serve"]
