// The race page's count, refreshed in place on election night: polls the race's
// JSON (people:race-results) while a round on the page is not certified, and
// rewrites the parts marked data-part with DOM text (no markup from the feed).
(function () {
  "use strict";
  if (window.newsroomRaceResults) return; // one poller for every round
  window.newsroomRaceResults = true;

  function ready(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  var number = new Intl.NumberFormat("en-US");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function moment(iso, zone) {
    var node = el("time");
    node.setAttribute("datetime", iso);
    node.textContent = new Date(iso).toLocaleString("en-US", {
      timeZone: zone,
      month: "long",
      day: "numeric",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
    });
    return node;
  }

  function share(value) {
    return value === null ? "—" : value.toFixed(1) + "%";
  }

  function cells(row, values) {
    values.forEach(function (value) {
      row.appendChild(el("td", value, "num"));
    });
  }

  function caption(snapshot) {
    if (!snapshot) return "No count yet";
    var text = "Latest count: " + snapshot.name;
    if (snapshot.precincts_total) {
      text +=
        " · " + number.format(snapshot.precincts_reporting) + " of " +
        number.format(snapshot.precincts_total) + " precincts reporting";
    }
    if (snapshot.expected_vote_percent !== null) {
      text += " · " + snapshot.expected_vote_percent + "% of expected vote";
    }
    return text;
  }

  function replace(part, children) {
    while (part.firstChild) part.removeChild(part.firstChild);
    children.forEach(function (child) {
      part.appendChild(child);
    });
  }

  function render(box, round, zone) {
    var parts = {};
    box.querySelectorAll("[data-part]").forEach(function (node) {
      parts[node.getAttribute("data-part")] = node;
    });
    var latest = round.latest;
    if (parts.call) {
      if (round.call) {
        var children = [
          document.createTextNode("Called by " + round.call.called_by + " at "),
          moment(round.call.called_at, zone),
        ];
        if (round.call.basis) {
          children.push(document.createTextNode(": " + round.call.basis));
        }
        replace(parts.call, children);
      } else {
        replace(parts.call, [document.createTextNode("Not called")]);
      }
    }
    if (parts.snapshot) parts.snapshot.textContent = caption(latest);
    if (parts.latest) {
      replace(
        parts.latest,
        (latest ? latest.candidates : []).map(function (candidate) {
          var row = el("tr");
          var name = el("th", candidate.name);
          name.setAttribute("scope", "row");
          if (candidate.candidacy_id === round.winner_id) {
            row.className = "count-winner";
            name.appendChild(document.createTextNode(" "));
            name.appendChild(el("span", "Winner", "badge"));
          }
          row.appendChild(name);
          cells(row, [number.format(candidate.votes), share(candidate.share)]);
          return row;
        })
      );
    }
    if (parts.counties) {
      replace(
        parts.counties,
        (latest ? latest.counties : []).map(function (county) {
          var row = el("tr");
          var name = el("th", county.name);
          name.setAttribute("scope", "row");
          row.appendChild(name);
          var leader = county.leader;
          row.appendChild(el("td", leader ? leader.name : "—"));
          cells(row, [
            leader ? number.format(leader.votes) : "—",
            leader ? share(leader.share) : "—",
          ]);
          return row;
        })
      );
    }
    if (parts["history-head"]) {
      var head = el("tr");
      ["As of", "Status", "Source"].forEach(function (label) {
        var cell = el("th", label);
        cell.setAttribute("scope", "col");
        head.appendChild(cell);
      });
      round.history_columns.concat([{ name: "All votes" }]).forEach(function (column) {
        var cell = el("th", column.name, "num");
        cell.setAttribute("scope", "col");
        head.appendChild(cell);
      });
      replace(parts["history-head"], [head]);
    }
    if (parts.history) {
      replace(
        parts.history,
        round.history.map(function (snapshot) {
          var row = el("tr");
          var when = el("th");
          when.setAttribute("scope", "row");
          when.appendChild(moment(snapshot.as_of, zone));
          row.appendChild(when);
          row.appendChild(el("td", snapshot.status_label));
          row.appendChild(el("td", snapshot.source));
          cells(
            row,
            round.history_columns
              .map(function (column) {
                var votes = snapshot.votes_by_candidacy[String(column.candidacy_id)];
                return votes === undefined ? "—" : number.format(votes);
              })
              .concat([number.format(snapshot.total_votes)])
          );
          return row;
        })
      );
    }
    if (parts.updated) {
      var now = new Date();
      var clock =
        String(now.getHours()).padStart(2, "0") + ":" +
        String(now.getMinutes()).padStart(2, "0");
      parts.updated.querySelector("span").textContent = clock;
      parts.updated.classList.remove("pending");
    }
  }

  ready(function () {
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll(".count[data-live][data-results-url]")
    );
    if (!boxes.length) return;
    var url = boxes[0].getAttribute("data-results-url");
    var seconds = Number(boxes[0].getAttribute("data-poll-seconds")) || 30;
    var timer = null;

    function poll() {
      fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          var rounds = {};
          data.rounds.forEach(function (round) {
            rounds[String(round.id)] = round;
          });
          boxes = boxes.filter(function (box) {
            var round = rounds[box.getAttribute("data-round")];
            if (!round) return false;
            render(box, round, data.time_zone);
            return round.live; // a certified round is polled no more
          });
          if (!boxes.length) window.clearInterval(timer);
        })
        .catch(function () {
          // Kept as it is; the next poll tries again.
        });
    }

    poll();
    timer = window.setInterval(poll, seconds * 1000);
  });
})();
