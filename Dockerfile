# syntax=docker/dockerfile:1
# The Sluice controller image. Build: docker build -t sluice:0.2.0 .
# (Machines without a Docker engine cannot build it; the test suite checks that the runtime stage
# installs every shared library the binary links against.)

# --- build: the Swift toolchain, the three C libraries' headers ---------------------------------
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgit2-dev libcurl4-openssl-dev libyaml-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not refetch them.
COPY Package.swift ./
COPY Sources ./Sources
COPY TestKit ./TestKit
COPY Tests ./Tests
RUN swift package resolve
# The controller's own binary: `run` without the emulator, demo and traffic simulator of the CLI.
RUN swift build -c release --product sluice-controller --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/sluice-controller" /out/sluice-controller

# --- run: a slim Debian with the C libraries' runtime packages only -----------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgit2-1.5 libcurl4 libyaml-0-2 ca-certificates bubblewrap gpgv openssh-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/sluice-controller /usr/local/bin/sluice-controller
# The chart runs it as 65532 with a read-only root filesystem; git mirrors go to an emptyDir.
USER 65532:65532
ENV SLUICE_CACHE_DIR=/var/cache/sluice HOME=/tmp
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sluice-controller"]
CMD ["run"]
