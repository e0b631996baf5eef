/* TreatyTopology: reads the map data of geo/topology.py (format "treaty-map-topology/1").
 *
 * The data holds each atom's outline once, as shared arcs, and each atom's holders by day
 * (proleptic day ordinals, as Python's date.toordinal). From them this builds, for any day,
 * the borders to draw (the arcs whose two sides have different holders, grouped by that
 * edge's precision on that day), the names to write, and outlines of any set of atoms.
 * Everything returned is in Leaflet's order: [lat, lng]. Names stay HTML-escaped as received.
 */
(function () {
  "use strict";

  function decode(data) {
    var sx = data.transform.scale[0], sy = data.transform.scale[1];
    var tx = data.transform.translate[0], ty = data.transform.translate[1];
    var ends = [];  // per arc: its first and last grid point, as keys for joining arcs
    var lines = data.arcs.map(function (arc) {
      var x = 0, y = 0, first = null;
      var points = arc.map(function (step) {
        x += step[0]; y += step[1];
        if (first === null) { first = x + "," + y; }
        return [y * sy + ty, x * sx + tx];
      });
      ends.push([first, x + "," + y]);
      return points;
    });
    var atoms = data.atoms, sides = data.sides, q = data.q;
    var cache = {};

    function arcPoints(ref) {
      return ref >= 0 ? lines[ref] : lines[~ref].slice().reverse();
    }
    function ring(refs) {
      var out = [];
      refs.forEach(function (ref) {
        var points = arcPoints(ref);
        out = out.concat(out.length ? points.slice(1) : points);
      });
      return out;
    }
    function polygons(refs) {
      return refs.map(function (rings) { return rings.map(ring); });
    }

    function atomLatLngs(i) {
      if (!cache[i]) { cache[i] = polygons(atoms[i].arcs); }
      return cache[i];
    }

    /* The last period starting on or before `day` in a list of [start, value] rows. */
    function periodAt(rows, day) {
      var lo = 0, hi = rows.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (rows[mid][0] <= day) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    function holder(i, day) {
      var k = periodAt(atoms[i].h, day);
      return k < 0 ? -1 : atoms[i].h[k][1];
    }

    function precisionAt(arc, day) {
      var rows = q[arc];
      if (!rows.length) { return "a"; }
      return rows[Math.max(periodAt(rows, day), 0)][1];
    }

    /* Arcs joined into as few polylines as possible: two arcs are joined where they are the
     * only two of the list to meet at a point. */
    function join(list) {
      var degree = {}, byEnd = {}, used = {}, out = [];
      list.forEach(function (k) {
        ends[k].forEach(function (key) {
          degree[key] = (degree[key] || 0) + 1;
          (byEnd[key] = byEnd[key] || []).push(k);
        });
      });
      function walk(k, forward) {
        var points = forward ? lines[k].slice() : lines[k].slice().reverse();
        var key = ends[k][forward ? 1 : 0];
        used[k] = true;
        while (degree[key] === 2) {
          var pair = byEnd[key], next = pair[0] === k ? pair[1] : pair[0];
          if (used[next]) { break; }
          var ahead = ends[next][0] === key;
          points = points.concat((ahead ? lines[next] : lines[next].slice().reverse()).slice(1));
          used[next] = true;
          k = next;
          key = ends[next][ahead ? 1 : 0];
        }
        return points;
      }
      list.forEach(function (k) {  // start at true ends first, so that no line starts midway
        if (used[k]) { return; }
        if (degree[ends[k][0]] !== 2) { out.push(walk(k, true)); }
        else if (degree[ends[k][1]] !== 2) { out.push(walk(k, false)); }
      });
      list.forEach(function (k) { if (!used[k]) { out.push(walk(k, true)); } });  // closed loops
      return out;
    }

    function borders(day) {
      var groups = { p: [], m: [], a: [], scope: [] };
      sides.forEach(function (pair, k) {
        var left = pair[0], right = pair[1];
        if (left < 0 && right < 0) { return; }
        if (left < 0 || right < 0) { groups.scope.push(k); return; }
        if (holder(left, day) !== holder(right, day)) { groups[precisionAt(k, day)].push(k); }
      });
      return { p: join(groups.p), m: join(groups.m), a: join(groups.a),
        scope: join(groups.scope) };
    }

    function labels(day) {
      return data.labels.filter(function (row) { return row[1] <= day && day < row[2]; })
        .map(function (row) { return { p: row[0], lat: row[4], lng: row[3], area: row[5] }; });
    }

    function outline(atomIndices) {
      var inside = {};
      atomIndices.forEach(function (i) { inside[i] = true; });
      var list = [];
      sides.forEach(function (pair, k) {
        if (!inside[pair[0]] !== !inside[pair[1]]) { list.push(k); }
      });
      return join(list);
    }

    function bounds(atomIndices) {
      var south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
      atomIndices.forEach(function (i) {
        atomLatLngs(i).forEach(function (rings) {
          rings[0].forEach(function (p) {
            south = Math.min(south, p[0]); north = Math.max(north, p[0]);
            west = Math.min(west, p[1]); east = Math.max(east, p[1]);
          });
        });
      });
      return south === Infinity ? null : [[south, west], [north, east]];
    }

    function context() {
      return data.context.map(function (c) {
        return { n: c.n, latlngs: polygons(c.arcs), lat: c.l[1], lng: c.l[0] };
      });
    }

    return {
      polities: data.polities,
      atomCount: atoms.length,
      transfers: data.transfers,
      parties: data.parties,
      atomLatLngs: atomLatLngs,
      holder: holder,
      precisionAt: precisionAt,
      borders: borders,
      labels: labels,
      outline: outline,
      bounds: bounds,
      context: context,
      modernLines: function () { return join(data.modern); }
    };
  }

  window.TreatyTopology = { decode: decode };
})();
