// pdf_structure.mjs: reads PDFs as a screen reader meets them, with Mozilla's pdf.js (a reader
// nobody here wrote), for `make check` only (handout never runs this).
//
// Usage: node pdf_structure.mjs [--read] FILE.pdf...
// For each file, checks what a tagged PDF/A-2a must hold and prints one line per problem
// ("FILE: message"); with --read, also prints the structure in reading order, one line per
// element that holds text or is a figure ("  H1: Your lower back pain...", "  Figure: <alt>").
// Exits 1 when there is any problem.
//
// Checked: the catalog is marked (/MarkInfo Marked true) with a /Lang and DisplayDocTitle; the
// XMP says pdfaid part 2 with a conformance level and its title, creator and producer agree
// with the Info dictionary; every page's text is inside marked content, either an Artifact or
// a sequence whose MCID the structure tree reaches exactly once; the tree uses only standard
// structure types, in the places ISO 32000-1 puts them (LI in L, Lbl and LBody in LI, TR in
// Table, TH and TD in TR), and every Figure has alternative text.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const STANDARD = new Set(['Document', 'Part', 'Sect', 'Div', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'P',
  'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'THead', 'TBody', 'Figure', 'Span', 'Caption']);
const PARENT = { LI: ['L'], Lbl: ['LI'], LBody: ['LI'], TR: ['Table', 'THead', 'TBody'], TH: ['TR'], TD: ['TR'] };

const args = process.argv.slice(2);
const read = args[0] === '--read';
const files = read ? args.slice(1) : args;
let problems = 0;

async function check(file) {
  const problem = (message) => {
    problems++;
    console.log(`${file}: ${message}`);
  };
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const { info, metadata } = await doc.getMetadata();
  const mark = await doc.getMarkInfo();
  if (!mark || !mark.Marked) problem('not marked as tagged (/MarkInfo)');
  if (!info.Language) problem('no /Lang');
  const prefs = await doc.getViewerPreferences();
  if (!prefs || prefs.DisplayDocTitle !== true) problem('DisplayDocTitle is not on');
  const xmp = metadata ? metadata.getAll() : {};
  if (xmp['pdfaid:part'] !== '2') problem(`XMP pdfaid:part is ${xmp['pdfaid:part']}, not 2`);
  if (!['A', 'B', 'U'].includes(xmp['pdfaid:conformance'])) problem('XMP has no pdfaid:conformance');
  if ((info.Title || '') !== (xmp['dc:title'] || '')) problem(`Info Title "${info.Title}" is not XMP dc:title "${xmp['dc:title']}"`);
  if (info.Author && !(xmp['dc:creator'] || []).includes(info.Author)) problem('Info Author is not XMP dc:creator');
  if ((info.Producer || '') !== (xmp['pdf:producer'] || '')) problem('Info Producer is not XMP pdf:Producer');
  if (read) console.log(`${file}: lang ${info.Language}, title "${info.Title}", ${doc.numPages} pages`);

  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = new Map(); // MCID id -> its text
    const stack = [];
    for (const item of content.items) {
      if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
        stack.push(item);
        if (item.id) text.set(item.id, '');
      } else if (item.type === 'endMarkedContent') {
        stack.pop();
      } else if (item.str !== undefined) {
        const inner = stack.filter((m) => m.id || m.tag === 'Artifact');
        if (!inner.length && item.str.trim()) problem(`page ${n}: text outside marked content: "${item.str}"`);
        const mc = [...stack].reverse().find((m) => m.id);
        // pdf.js drops a line's last space and says hasEOL instead: a line's end is a space
        // between words, except after a Chinese character (no spaces between those).
        const eol = item.hasEOL && !/[\u3000-\u9fff\uff00-\uffef]$/.test(item.str) ? ' ' : '';
        if (mc) text.set(mc.id, text.get(mc.id) + item.str + eol);
      }
    }
    const reached = new Map();
    const lines = [];
    const walk = (node, parent) => {
      if (node.type === 'content') {
        reached.set(node.id, (reached.get(node.id) || 0) + 1);
        return (text.get(node.id) || '');
      }
      if (node.role && node.role !== 'Root') {
        if (!STANDARD.has(node.role)) problem(`page ${n}: structure type ${node.role} is not standard`);
        if (PARENT[node.role] && !PARENT[node.role].includes(parent))
          problem(`page ${n}: ${node.role} inside ${parent}`);
        if (node.role === 'Figure' && !node.alt) problem(`page ${n}: a Figure without alternative text`);
      }
      const own = [];
      for (const child of node.children || []) own.push(walk(child, node.role));
      const said = own.join('').replace(/\s+/g, ' ').trim();
      const leaf = !(node.children || []).some((c) => c.role);
      if (node.role === 'Figure') lines.push(`  Figure: ${node.alt || ''}`);
      else if (leaf && said && node.role) lines.push(`  ${node.role}: ${said}`);
      return node.role === 'Figure' ? '' : own.join('');
    };
    const tree = await page.getStructTree();
    if (!tree) problem(`page ${n}: no structure tree`);
    else walk(tree, '');
    for (const id of text.keys())
      if (reached.get(id) !== 1) problem(`page ${n}: marked content ${id} is reached ${reached.get(id) || 0} times from the structure`);
    if (read) {
      console.log(`page ${n}:`);
      for (const line of lines) console.log(line);
    }
  }
  await doc.destroy();
}

for (const file of files) {
  try {
    await check(file);
  } catch (e) {
    problems++;
    console.log(`${file}: pdf.js could not read it: ${e.message}`);
  }
}
process.exit(problems ? 1 : 0);
