/**
 * The HTML report: one self-contained file (inline CSS, JS and SVG; no network), for
 * `kordon scan --format html` and `kordon paths --format html`.
 *
 * The data is embedded as JSON; a small script draws the findings table (sortable, filterable)
 * and the attack paths as a layered SVG graph (one column per step depth; hovering shows the
 * evidence, clicking highlights the paths through a vertex or edge). Deterministic: the same
 * input gives the same bytes.
 */
import type { ScanResult } from '../engine/result.js';
import type { Finding } from '../engine/types.js';
import { findingLocation } from './common.js';
import type { PathsResult } from '../graph/paths.js';
import { attackPathsOf } from '../graph/scan.js';
import { findingNote } from './common.js';

export interface HtmlReportInput {
  title: string;
  subtitle?: string;
  findings?: readonly Finding[];
  paths?: PathsResult;
  /** Free-form summary counters shown at the top. */
  summary?: Record<string, string | number>;
  /** Inputs that could not be read (fully): always listed. */
  problems?: ReadonlyArray<{ source: string; line?: number; severity: string; code: string; message: string }>;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON that is safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function formatHtml(r: ScanResult): string {
  const paths = attackPathsOf(r.findings);
  return renderHtmlReport({
    title: 'kordon scan report',
    subtitle: r.sources.join(', '),
    findings: r.findings.filter((f) => !f.suppressed),
    problems: r.problems,
    ...(paths ? { paths } : {}),
    summary: {
      objects: r.summary.objects,
      findings: r.summary.findings,
      critical: r.summary.bySeverity.critical,
      high: r.summary.bySeverity.high,
      ...(paths ? { 'attack paths': paths.total } : {}),
      ...(paths?.entryPoints ? { 'entry points tried': paths.entryPoints.text.replace(/^entry points tried: /, '') } : {}),
    },
  });
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const findings = (input.findings ?? []).map((f) => ({
    id: f.controlId,
    control: f.control,
    title: f.title,
    severity: f.severity,
    layer: f.layer,
    message: findingNote(f) ? `${f.message} (${findingNote(f)})` : f.message,
    object: f.object ? `${f.object.kind} ${f.object.namespace ? f.object.namespace + '/' : ''}${f.object.name}` : '(cluster)',
    location: f.location ? findingLocation(f) : f.pointer,
    ...(f.priority ? { score: f.priority.score, onPaths: f.priority.onPaths, reason: f.priority.reason } : {}),
  }));
  const data = { findings, paths: input.paths ?? null, hasFindings: input.findings !== undefined };
  const summary = Object.entries(input.summary ?? {})
    .map(([k, v]) => `<div class="card"><div class="num">${escapeHtml(String(v))}</div><div class="lbl">${escapeHtml(k)}</div></div>`)
    .join('');
  const problems = (input.problems ?? [])
    .map((p) => `<li class="problem-${escapeHtml(p.severity)}">${escapeHtml(`${p.source}${p.line ? `:${p.line}` : ''}`)} <b>${escapeHtml(p.severity)}</b> ${escapeHtml(p.code)}: ${escapeHtml(p.message)}</li>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<div class="sub">${escapeHtml(input.subtitle)}</div>` : ''}<div class="cards">${summary}</div></header>
${problems ? `<section id="problems-section"><h2>Input problems</h2><ul>${problems}</ul></section>` : ''}
<section id="paths-section"><h2>Attack paths</h2><div id="paths-note" class="note"></div>
<div class="graph-wrap"><div id="graph"></div><aside id="details"><h3>Details</h3><div id="details-body">Hover a vertex or an edge to see its evidence; click to highlight the paths through it.</div><h3>Paths</h3><ol id="path-list"></ol></aside></div></section>
<section id="findings-section"><h2>Findings</h2>
<div class="filters"><input id="filter" type="search" placeholder="Filter findings (control, object, message)"><select id="sev"><option value="">all severities</option><option>critical</option><option>high</option><option>medium</option><option>low</option><option>info</option></select><span id="count"></span></div>
<table id="findings"><thead><tr><th data-k="score">Priority</th><th data-k="severity">Severity</th><th data-k="id">Control</th><th data-k="object">Object</th><th data-k="message">Message</th><th data-k="location">Location</th></tr></thead><tbody></tbody></table></section>
<script type="application/json" id="kordon-data">${scriptJson(data)}</script>
<script>${JS}</script>
</body>
</html>
`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
header{padding:16px 24px;background:#1d2330;color:#fff}h1{margin:0;font-size:20px}.sub{opacity:.7;font-size:12px;margin-top:4px}
.cards{display:flex;gap:12px;margin-top:12px;flex-wrap:wrap}.card{background:#2c3446;border-radius:6px;padding:8px 14px;min-width:90px}.num{font-size:20px;font-weight:600}.lbl{font-size:11px;opacity:.75;text-transform:uppercase}
section{padding:12px 24px}h2{font-size:16px;margin:8px 0}.note{color:#5b6475;font-size:12px;margin-bottom:6px}
.graph-wrap{display:flex;flex-direction:column;gap:12px}#graph{flex:1;overflow:auto;background:#fff;border:1px solid #dde1e8;border-radius:6px;min-height:120px}
aside{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:8px 12px;font-size:12px;max-height:640px;overflow:auto}aside h3{font-size:13px;margin:6px 0}
#path-list li{cursor:pointer;margin-bottom:4px}#path-list li.sel{font-weight:600;color:#b3261e}
.ev{margin:4px 0 8px;padding-left:8px;border-left:3px solid #dde1e8}.ev code{font-size:11px;word-break:break-all}
svg .node rect{fill:#eef2f8;stroke:#7a8599;stroke-width:1.2;rx:6}svg .node text{font-size:11px;fill:#1d2330;pointer-events:none}
svg .node.jewel rect{fill:#fde8e6;stroke:#b3261e;stroke-width:2}svg .node.entry rect{fill:#e6f0fd;stroke:#1f5fbf;stroke-width:2}
svg .edge path{fill:none;stroke:#9aa3b2;stroke-width:1.6}svg .edge text{font-size:9px;fill:#5b6475}svg .edge:hover path{stroke:#1d2330;stroke-width:3}
svg .node{cursor:pointer}svg .edge{cursor:pointer}svg.has-hl .node:not(.hl),svg.has-hl .edge:not(.hl){opacity:.18}svg .edge.hl path{stroke:#b3261e;stroke-width:3}
.filters{display:flex;gap:8px;align-items:center;margin-bottom:8px}#filter{flex:1;max-width:480px;padding:6px 8px;border:1px solid #c5cbd6;border-radius:4px}select{padding:6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:12px}th,td{border-bottom:1px solid #e6e9ef;padding:6px 8px;text-align:left;vertical-align:top}th{background:#eef1f6;cursor:pointer;user-select:none;position:sticky;top:0}
.sev{font-weight:600;border-radius:3px;padding:1px 6px;color:#fff}.sev-critical{background:#8e1b13}.sev-high{background:#c2410c}.sev-medium{background:#b7791f}.sev-low{background:#4a6fa5}.sev-info{background:#7a8599}
.why{color:#b3261e;font-size:11px}.problem-error{color:#8e1b13}.problem-warning{color:#8a5a00}#problems-section ul{margin:0;padding-left:20px;font-size:12px}`;

const JS = `
(function(){
'use strict';
var data=JSON.parse(document.getElementById('kordon-data').textContent);
var SVGNS='http://www.w3.org/2000/svg';
function el(tag,attrs,parent){var e=document.createElementNS(SVGNS,tag);for(var k in attrs)e.setAttribute(k,attrs[k]);if(parent)parent.appendChild(e);return e;}
function h(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}
var details=document.getElementById('details-body');
function showEvidence(title,detail,evidence){details.textContent='';details.appendChild(h('div',title,'')).style.fontWeight='600';if(detail)details.appendChild(h('div',detail,''));(evidence||[]).forEach(function(ev){var d=h('div',null,'ev');d.appendChild(h('div',ev.detail+(ev.role==='cause'?'':' (context)')));var c=h('code',ev.object+(ev.pointer?' '+ev.pointer:''));d.appendChild(c);details.appendChild(d);});}
// ---- attack paths ----
var P=data.paths;var note=document.getElementById('paths-note');
var svg=null,nodeEls={},edgeEls={},pathEdges=[],pathNodes=[];
function highlight(indices){if(!svg)return;Object.keys(nodeEls).forEach(function(k){nodeEls[k].classList.remove('hl');});Object.keys(edgeEls).forEach(function(k){edgeEls[k].classList.remove('hl');});
 var items=document.querySelectorAll('#path-list li');for(var i=0;i<items.length;i++)items[i].classList.toggle('sel',indices.indexOf(i)>=0);
 if(!indices.length){svg.classList.remove('has-hl');return;}svg.classList.add('has-hl');
 indices.forEach(function(i){pathEdges[i].forEach(function(k){edgeEls[k].classList.add('hl');});pathNodes[i].forEach(function(k){nodeEls[k].classList.add('hl');});});}
if(!P){note.textContent='No attack path analysis in this report (run kordon paths, or kordon scan with attack paths).';}
else if(!P.paths.length){note.textContent='No attack path from the entry points to a crown jewel.';}
else{
 note.textContent=P.shown+' of '+P.total+' attack path(s), cheapest first. Blue: entry point; red: crown jewel.';
 var nodes={},order=[],edges={},eorder=[];
 P.paths.forEach(function(p,pi){var ne=[],nn=[];p.steps.forEach(function(s,si){
  [[s.source,si],[s.target,si+1]].forEach(function(x){var n=nodes[x[0]];if(!n){n=nodes[x[0]]={label:x[0],depth:x[1],paths:[]};order.push(x[0]);}if(x[1]<n.depth)n.depth=x[1];if(n.paths.indexOf(pi)<0)n.paths.push(pi);if(nn.indexOf(x[0])<0)nn.push(x[0]);});
  var k=s.source+'\\u0000'+s.target+'\\u0000'+s.edge;var e=edges[k];if(!e){e=edges[k]={key:k,s:s,paths:[]};eorder.push(k);}if(e.paths.indexOf(pi)<0)e.paths.push(pi);ne.push(k);});
  nodes[p.from].entry=true;nodes[p.to].jewel=true;pathEdges.push(ne);pathNodes.push(nn);});
 var cols={};order.forEach(function(k){var d=nodes[k].depth;(cols[d]=cols[d]||[]).push(k);});
 var W=170,H=40,GX=56,GY=20,maxRows=0,maxDepth=0;Object.keys(cols).forEach(function(d){maxRows=Math.max(maxRows,cols[d].length);maxDepth=Math.max(maxDepth,+d);});
 Object.keys(cols).forEach(function(d){cols[d].forEach(function(k,r){nodes[k].x=20+(+d)*(W+GX);nodes[k].y=20+r*(H+GY);});});
 var width=40+(maxDepth+1)*(W+GX)-GX,height=40+maxRows*(H+GY)-GY;
 svg=el('svg',{xmlns:SVGNS,width:'100%',viewBox:'0 0 '+width+' '+height,id:'attack-graph',style:'max-width:'+width+'px;display:block'});
 el('defs',{},svg).innerHTML='<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#7a8599"/></marker>';
 var gE=el('g',{'class':'edges'},svg),gN=el('g',{'class':'nodes'},svg);
 eorder.forEach(function(k){var e=edges[k],a=nodes[e.s.source],b=nodes[e.s.target];var x1=a.x+W,y1=a.y+H/2,x2=b.x,y2=b.y+H/2;
  if(b.x<=a.x){x2=b.x+W/2;y2=b.y+(b.y>a.y?0:H);}var mx=(x1+x2)/2;
  var g=el('g',{'class':'edge','data-kind':e.s.edge},gE);el('path',{d:'M'+x1+' '+y1+' C'+mx+' '+y1+' '+mx+' '+y2+' '+x2+' '+y2,'marker-end':'url(#arrow)'},g);
  var t=el('text',{x:mx,y:(y1+y2)/2-4,'text-anchor':'middle'},g);t.textContent=e.s.edge;el('title',{},g).textContent=e.s.edge+': '+e.s.detail;
  g.addEventListener('mouseenter',function(){showEvidence(e.s.edge+': '+e.s.source+' \\u2192 '+e.s.target,e.s.detail,e.s.evidence);});
  g.addEventListener('click',function(ev){ev.stopPropagation();highlight(e.paths);});edgeEls[k]=g;});
 order.forEach(function(k){var n=nodes[k];var g=el('g',{'class':'node'+(n.jewel?' jewel':'')+(n.entry?' entry':''),transform:'translate('+n.x+','+n.y+')'},gN);
  el('rect',{width:W,height:H,rx:6},g);var lines=wrap(n.label,27);lines.slice(0,2).forEach(function(l,i){var t=el('text',{x:8,y:lines.length>1?16+i*14:24},g);t.textContent=l;});
  el('title',{},g).textContent=n.label;g.addEventListener('mouseenter',function(){showEvidence(n.label,(n.jewel?'crown jewel. ':'')+'on '+n.paths.length+' shown path(s)',[]);});
  g.addEventListener('click',function(ev){ev.stopPropagation();highlight(n.paths);});nodeEls[k]=g;});
 svg.addEventListener('click',function(){highlight([]);});
 document.getElementById('graph').appendChild(svg);
 var list=document.getElementById('path-list');P.paths.forEach(function(p,i){var li=h('li',p.from+' \\u2192 '+p.to+' (cost '+p.cost+', '+p.steps.length+' steps)');li.addEventListener('click',function(){highlight([i]);});list.appendChild(li);});
 var m=/^#path=(\\d+)$/.exec(location.hash);if(m&&+m[1]<P.paths.length)highlight([+m[1]]);
}
function wrap(s,n){if(s.length<=n)return [s];var cut=s.lastIndexOf(' ',n);if(cut<10)cut=n;var rest=s.slice(cut).trim();return [s.slice(0,cut),rest.length>n?rest.slice(0,n-1)+'\\u2026':rest];}
// ---- findings ----
var F=data.findings,tbody=document.querySelector('#findings tbody'),filter=document.getElementById('filter'),sev=document.getElementById('sev'),count=document.getElementById('count');
if(!data.hasFindings){document.getElementById('findings-section').style.display='none';}
var SEV={critical:0,high:1,medium:2,low:3,info:4};var sortKey=F.some(function(f){return f.score!=null;})?'score':'severity',sortDir=sortKey==='score'?-1:1;
function val(f,k){if(k==='severity')return SEV[f.severity];if(k==='score')return f.score==null?-1:f.score;return (f[k]||'').toLowerCase();}
function render(){var q=filter.value.toLowerCase(),s=sev.value;var rows=F.filter(function(f){return (!s||f.severity===s)&&(!q||(f.id+' '+f.control+' '+f.object+' '+f.message+' '+f.title).toLowerCase().indexOf(q)>=0);});
 rows.sort(function(a,b){var x=val(a,sortKey),y=val(b,sortKey);return x<y?-sortDir:x>y?sortDir:0;});tbody.textContent='';
 rows.forEach(function(f){var tr=document.createElement('tr');var td0=h('td',f.score==null?'':String(f.score));if(f.onPaths)td0.appendChild(h('div',f.reason,'why'));tr.appendChild(td0);
  var td1=document.createElement('td');td1.appendChild(h('span',f.severity,'sev sev-'+f.severity));tr.appendChild(td1);
  tr.appendChild(h('td',f.id+' '+f.control));tr.appendChild(h('td',f.object));tr.appendChild(h('td',f.message));tr.appendChild(h('td',f.location));tbody.appendChild(tr);});
 count.textContent=rows.length+' of '+F.length;}
var ths=document.querySelectorAll('#findings th');for(var i=0;i<ths.length;i++)ths[i].addEventListener('click',function(){var k=this.getAttribute('data-k');if(k===sortKey)sortDir=-sortDir;else{sortKey=k;sortDir=k==='score'?-1:1;}render();});
filter.addEventListener('input',render);sev.addEventListener('change',render);render();
document.body.setAttribute('data-rendered','true');
})();`;
