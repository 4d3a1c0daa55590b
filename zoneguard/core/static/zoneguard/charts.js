// Draws every <div class="chart" data-chart-url="…" data-chart-kind="bar|hbar|line"> of the page
// (templates/components/chart.html) from its JSON endpoint (core/charts.py) with the vendored
// ECharts, on a canvas. The server writes every text in the user's language and each figure's
// label exactly as the page's tables do; the numbers are only for drawing.
//
// Under the Content-Security-Policy: ECharts' HTML tooltip is written with style attributes, which
// the policy blocks, so tooltips are drawn as rich text on the canvas; heights come from app.css.
(function () {
  "use strict";
  var echarts = window.echarts;
  var containers = document.querySelectorAll(".chart[data-chart-url]");
  if (!echarts || !containers.length) return;

  var COLOURS = ["#1f5fbf", "#c0262d", "#1a7f37", "#b7791f", "#6f42c1"];
  // Lines told apart without colour too (a black and white printer).
  var SYMBOLS = ["circle", "rect", "triangle", "diamond"];
  var INK = "#1d2330";
  var FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  // A4 less the print margins of app.css (15 mm each side), in CSS pixels.
  var PRINT_WIDTH = 680;
  var charts = [];

  function show(el, state, message) {
    el.setAttribute("data-chart-state", state);
    if (message) {
      el.textContent = message;
      el.classList.add("chart-message");
    }
  }

  function isEmpty(data) {
    if (!data.categories || !data.categories.length || !data.series || !data.series.length) return true;
    return data.series.every(function (s) {
      return s.data.every(function (v) { return v === null || v === 0; });
    });
  }

  function allIntegers(data) {
    return data.series.every(function (s) {
      return s.data.every(function (v) { return v === null || Math.round(v) === v; });
    });
  }

  function axisNumber(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  function tooltip(data) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var lines = [list[0].name];
      list.forEach(function (p) {
        lines.push(p.seriesName + ": " + data.series[p.seriesIndex].labels[p.dataIndex]);
      });
      return lines.join("\n");
    };
  }

  function option(kind, data) {
    var horizontal = kind === "hbar";
    var percent = data.unit === "%";
    var legend = data.series.length > 1;
    // Each figure written beside its bar or point while they fit; otherwise in the tooltip only.
    // A line's labels stand side by side above it: a fortnight of "100%" ran together in a
    // half-width card, so lines label a week at most.
    var labelled = data.categories.length * data.series.length <= (kind === "line" ? 7 : 20);
    var categoryAxis = {
      type: "category",
      data: data.categories,
      inverse: horizontal,
      axisTick: { alignWithLabel: true },
      axisLabel: { color: INK, hideOverlap: true },
    };
    var valueAxis = {
      type: "value",
      min: 0,
      max: percent ? 100 : null,
      minInterval: !percent && allIntegers(data) ? 1 : null,
      axisLabel: {
        color: INK,
        hideOverlap: true,
        formatter: function (value) { return percent ? value + "%" : axisNumber(value); },
      },
    };
    return {
      animation: false,
      color: COLOURS,
      textStyle: { fontFamily: FONT, color: INK },
      legend: { show: legend, top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        axisPointer: { type: horizontal ? "shadow" : "line" },
        formatter: tooltip(data),
      },
      grid: {
        left: 8,
        right: horizontal && labelled ? 120 : 16,
        top: legend ? 40 : labelled && !horizontal ? 24 : 16,  // room for a label above 100%
        bottom: 8,
        containLabel: true,
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map(function (s, i) {
        var type = s.type || (kind === "line" ? "line" : "bar");
        return {
          name: s.name,
          type: type,
          data: s.data,
          barMaxWidth: 40,
          symbol: SYMBOLS[i % SYMBOLS.length],
          symbolSize: 7,
          lineStyle: { width: 2.5 },
          label: {
            show: labelled,
            position: horizontal ? "right" : "top",
            color: INK,
            formatter: function (p) { return s.labels[p.dataIndex]; },
          },
          labelLayout: { hideOverlap: true },
        };
      }),
    };
  }

  function draw(el, data) {
    var figure = el.closest("figure");
    var caption = figure && figure.querySelector(".chart-title");
    if (caption) caption.textContent = data.title;
    el.setAttribute("aria-label", data.title);
    if (isEmpty(data)) {
      show(el, "empty", el.getAttribute("data-chart-empty"));
      return;
    }
    var kind = el.getAttribute("data-chart-kind") || "bar";
    if (kind === "hbar") {
      // One band per category, however many sectors the zone has (CSSOM, not a style attribute).
      var bands = data.categories.length * Math.max(1, data.series.length);
      el.style.height = Math.max(el.clientHeight, 56 + 34 * bands) + "px";
    }
    var chart = echarts.init(el, null, {
      renderer: "canvas",
      // Drawn at twice the screen's resolution at least, so that a printout stays sharp.
      devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
      locale: (document.documentElement.lang || "").indexOf("zh") === 0 ? "ZH" : "EN",
    });
    chart.on("finished", function () {
      el.setAttribute("data-chart-state", "drawn");
      el.setAttribute("data-chart-width", String(chart.getWidth()));
    });
    chart.setOption(option(kind, data));
    charts.push(chart);
  }

  function load(el) {
    show(el, "loading");
    return fetch(el.getAttribute("data-chart-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        // A lapsed session is redirected to the sign-in page: HTML, not figures.
        if (!response.ok || type.indexOf("application/json") !== 0) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(el, data); })
      .catch(function () { show(el, "error", el.getAttribute("data-chart-error")); });
  }

  // While printing, charts keep the paper's width: the window's size (which a print preview or a
  // full-page capture may change) does not count, and app.css sizes the canvas on the paper.
  var printing = false;

  function resizeAll() {
    charts.forEach(function (chart) {
      if (chart.isDisposed()) return;
      // ECharts keeps a size it was given; "auto" hands it back to the container's.
      chart.resize(printing ? { width: PRINT_WIDTH, height: chart.getHeight() } : { width: "auto", height: "auto" });
    });
  }

  function setPrinting(on) {
    if (on === printing) return;
    printing = on;
    resizeAll();
  }

  var frame = 0;
  window.addEventListener("resize", function () {
    if (frame || printing) return;
    frame = window.requestAnimationFrame(function () {
      frame = 0;
      if (!printing) resizeAll();
    });
  });
  window.addEventListener("beforeprint", function () { setPrinting(true); });
  window.addEventListener("afterprint", function () { setPrinting(false); });
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) print.addEventListener("change", function (event) { setPrinting(event.matches); });
  }

  // One chart after the other, not all at once: a page's few charts cost a sync worker each at a
  // time, and the browser tests' live server shares one SQLite connection between its threads,
  // which concurrent requests deadlock.
  Array.prototype.reduce.call(
    containers,
    function (previous, el) { return previous.then(function () { return load(el); }); },
    Promise.resolve()
  );
})();
