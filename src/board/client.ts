// The board's only script, inlined in the overview page and allowed by its SHA-256 hash in the
// Content-Security-Policy (no nonce to thread through, nothing else inline may run). Plain ES5 so
// that every WeCom in-app browser runs it. It reads the data block, draws the two charts with the
// locally served ECharts, and adds the rest of the grid on "显示全部". User text only ever goes
// through textContent (the DOM), ECharts' canvas, or its default tooltip (which escapes it); never
// through innerHTML of ours.
import { createHash } from 'node:crypto';

export const BOARD_SCRIPT = `
(function () {
  'use strict';
  var block = document.getElementById('board-data');
  if (!block) return;
  var data = JSON.parse(block.textContent || '{}');
  var CELL_CLASS = { r: 'c-r', y: 'c-y', g: 'c-g' };
  var CELL_TEXT = { r: '逾', y: '临' };

  function clip(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  function gridRow(row) {
    var tr = document.createElement('tr');
    var th = document.createElement('th');
    var link = document.createElement('a');
    link.href = '/board/unit/' + row[0];
    link.textContent = row[1];
    th.appendChild(link);
    tr.appendChild(th);
    for (var i = 0; i < row[2].length; i++) {
      var code = row[2].charAt(i);
      var td = document.createElement('td');
      td.className = CELL_CLASS[code] || 'c-n';
      td.textContent = CELL_TEXT[code] || '';
      tr.appendChild(td);
    }
    return tr;
  }

  var more = document.getElementById('grid-all');
  if (more && data.gridRest) {
    more.addEventListener('click', function () {
      var body = document.getElementById('grid-body');
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < data.gridRest.length; i++) fragment.appendChild(gridRow(data.gridRest[i]));
      body.appendChild(fragment);
      more.parentNode.removeChild(more);
    });
  }

  var echarts = window.echarts;
  if (!echarts) return;
  var charts = [];
  var BAR_HEIGHT = 30;
  var VISIBLE_UNITS = 15;
  var base = {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 8, right: 20, top: 32, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } }
  };

  function draw(element, rows, option) {
    element.style.height = Math.max(120, Math.min(rows, VISIBLE_UNITS) * BAR_HEIGHT + 56) + 'px';
    element.textContent = '';
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    var merged = {};
    var key;
    for (key in base) merged[key] = base[key];
    for (key in option) merged[key] = option[key];
    chart.setOption(merged);
    charts.push(chart);
  }

  var batchElement = document.getElementById('batch-chart');
  if (batchElement && data.batches && data.batches.length) {
    var batches = data.batches;
    var series = [
      ['已办结', 'done', '#34c724'],
      ['已提交待审', 'submitted', '#3370ff'],
      ['待办', 'pending', '#c9cdd4'],
      ['逾期', 'overdue', '#f54a45']
    ].map(function (spec) {
      return {
        name: spec[0],
        type: 'bar',
        stack: 'tasks',
        barMaxWidth: 18,
        itemStyle: { color: spec[2] },
        data: batches.map(function (batch) { return batch[spec[1]]; })
      };
    });
    draw(batchElement, batches.length, {
      yAxis: {
        type: 'category',
        inverse: true,
        axisLabel: { fontSize: 12, formatter: function (value) { return clip(value, 9); } },
        data: batches.map(function (batch) { return batch.n + ' ' + batch.title; })
      },
      series: series
    });
  }

  (data.cases || []).forEach(function (call) {
    var element = document.getElementById('case-chart-' + call.id);
    if (!element || !call.units.length) return;
    var units = call.units;
    var zoom = units.length > VISIBLE_UNITS
      ? [
          { type: 'inside', yAxisIndex: 0, startValue: 0, endValue: VISIBLE_UNITS - 1, zoomLock: true },
          {
            type: 'slider', yAxisIndex: 0, startValue: 0, endValue: VISIBLE_UNITS - 1, width: 12, right: 2,
            showDetail: false, brushSelect: false, zoomLock: true
          }
        ]
      : [];
    draw(element, units.length, {
      grid: { left: 8, right: units.length > VISIBLE_UNITS ? 24 : 20, top: 32, bottom: 4, containLabel: true },
      dataZoom: zoom,
      yAxis: {
        type: 'category',
        inverse: true,
        axisLabel: { fontSize: 12, formatter: function (value) { return clip(value, 6); } },
        data: units.map(function (unit) { return unit[0]; })
      },
      series: [
        {
          name: '已提交', type: 'bar', barMaxWidth: 10, itemStyle: { color: '#3370ff' },
          data: units.map(function (unit) { return unit[1]; })
        },
        {
          name: '应提报', type: 'bar', barMaxWidth: 10, itemStyle: { color: '#c9cdd4' },
          data: units.map(function (unit) { return unit[2]; })
        }
      ]
    });
  });

  window.addEventListener('resize', function () {
    for (var i = 0; i < charts.length; i++) charts[i].resize();
  });
})();
`;

/** The CSP source that allows exactly this script. */
export const BOARD_SCRIPT_HASH = `'sha256-${createHash('sha256').update(BOARD_SCRIPT, 'utf8').digest('base64')}'`;
