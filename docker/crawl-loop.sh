#!/bin/sh
# The crawler service of docker-compose.yml: bring the indices up to date once, then run
# the configured crawls every CRAWL_INTERVAL_S seconds, for ever.
#
#   CRAWL_INTERVAL_S   seconds between rounds (default 21600 = 6 h: government notice
#                      lists change a few times a day; more often is impolite)
#   CRAWL_COMMANDS     crawls per round, separated by ';' (default: "crawl gov")
#                      e.g. "crawl gov; crawl weibo --keyword 政务新媒体 --keyword 关停"
#
# A failed crawl is logged and the loop goes on: one site being down must not stop the rest.
set -u

INTERVAL="${CRAWL_INTERVAL_S:-21600}"
COMMANDS="${CRAWL_COMMANDS:-crawl gov}"

# Elasticsearch may still be electing a master when the container starts; retry briefly.
attempt=1
until yuqing index migrate; do
    if [ "$attempt" -ge 10 ]; then
        echo "crawl-loop: index migrate kept failing; crawling anyway (the store creates missing indices)" >&2
        break
    fi
    attempt=$((attempt + 1))
    sleep 10
done

while true; do
    echo "$COMMANDS" | tr ';' '\n' | while IFS= read -r cmd; do
        cmd=$(echo "$cmd" | sed 's/^ *//; s/ *$//')
        [ -z "$cmd" ] && continue
        echo "crawl-loop: yuqing $cmd"
        # shellcheck disable=SC2086  # word splitting of the command line is intended
        yuqing $cmd || echo "crawl-loop: 'yuqing $cmd' failed (exit $?); continuing" >&2
    done
    echo "crawl-loop: next round in ${INTERVAL}s"
    sleep "$INTERVAL"
done
