// The 落实情况 document of a unit (导出本单位): a .docx on A4 in the usual official layout (title in
// 小标宋 二号, body in 仿宋 三号, first-line indent of two characters), the unit's replies per task
// with their dates, then the contact line and the signature and 公章 block, ready to print, stamp
// and upload to 协同办公系统. Written with the `docx` library; the words are in views.ts.
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import type { ReportGroup } from './select.js';
import {
  CONTACT_LINE,
  DOCUMENT_CREATOR,
  FONTS,
  NO_REPLY_TEXT,
  attachmentsLine,
  groupHeading,
  replyLead,
  reportFileName,
  reportTitle,
  signatureLines,
  taskHeading,
} from './views.js';

/** Sizes in half-points: 二号 22pt, 三号 16pt. */
const TITLE_SIZE = 44;
const BODY_SIZE = 32;

/** Two characters of first-line indent at 三号. */
const INDENT = { firstLine: 640 };
const LINE = { line: 560, lineRule: 'exact' as const };

function run(text: string, font: string, size = BODY_SIZE, bold = false): TextRun {
  return new TextRun({ text, font: { eastAsia: font, ascii: font, hAnsi: font }, size, bold });
}

function body(text: string, font = FONTS.body): Paragraph {
  return new Paragraph({ children: [run(text, font)], indent: INDENT, spacing: LINE });
}

/** A member's text, paragraph by paragraph as they wrote it. */
function bodyLines(text: string): Paragraph[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => body(line));
}

export interface UnitReport {
  fileName: string;
  data: Buffer;
  taskCount: number;
}

export async function buildUnitReport(
  unitName: string,
  groups: readonly ReportGroup[],
  now: Date,
): Promise<UnitReport> {
  const children: Paragraph[] = [
    new Paragraph({
      children: [run(reportTitle(unitName, groups), FONTS.title, TITLE_SIZE)],
      alignment: AlignmentType.CENTER,
      spacing: { after: 400 },
    }),
  ];
  groups.forEach((group, g) => {
    if (groups.length > 1) children.push(body(groupHeading(g, group), FONTS.heading));
    group.tasks.forEach((task, t) => {
      children.push(body(taskHeading(t, task), FONTS.subheading));
      if (task.replies.length === 0) children.push(body(NO_REPLY_TEXT));
      for (const reply of task.replies) {
        children.push(body(replyLead(reply)), ...bodyLines(reply.text));
        if (reply.files.length > 0) children.push(body(attachmentsLine(reply.files)));
      }
    });
  });
  children.push(new Paragraph({ children: [], spacing: LINE }), body(CONTACT_LINE));
  children.push(new Paragraph({ children: [], spacing: LINE }));
  for (const line of signatureLines(unitName)) {
    children.push(
      new Paragraph({
        children: [run(line, FONTS.body)],
        alignment: AlignmentType.RIGHT,
        indent: { right: 640 },
        spacing: LINE,
      }),
    );
  }
  const document = new Document({
    creator: DOCUMENT_CREATOR,
    title: reportTitle(unitName, groups),
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 },
          },
        },
        children,
      },
    ],
  });
  return {
    fileName: reportFileName(unitName, now),
    data: await Packer.toBuffer(document),
    taskCount: groups.reduce((sum, group) => sum + group.tasks.length, 0),
  };
}
