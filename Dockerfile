# The container image: the single executable (npm run package writes release/stern) on distroless's
# cc image, which has the glibc and libstdc++ that Node's binary links. Built by scripts/release.mjs,
# or by hand:  npm run package && docker build -f Dockerfile -t stern-ts release
# Run as stern's image is run:  docker run --rm -v "$HOME/.kube:/root/.kube" stern-ts web -n shop
FROM gcr.io/distroless/cc-debian12
LABEL org.opencontainers.image.description="stern-ts: tail the logs of many Kubernetes pods and containers"
COPY stern /usr/local/bin/stern
ENTRYPOINT ["/usr/local/bin/stern"]
