import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../core/csv.js';
import { EXPORT_COLUMNS, toCsv, type ExportRow } from '../core/digest/digest.js';
import { PLAN_EXPORT_COLUMNS, type PlanExportRow } from '../core/plan/plan.js';

export { toCsv };

/**
 * The team's results as an Excel workbook with one sheet per area, like the framework's own
 * spreadsheet, and their development plans on a last sheet.
 */
export async function toXlsx(
  rows: readonly ExportRow[],
  plans: readonly PlanExportRow[] = [],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(0);
  const areas = [...new Set(rows.map((r) => r.areaId))];
  for (const areaId of areas.length ? areas : ['No results']) {
    const first = rows.find((r) => r.areaId === areaId);
    const sheet = book.addWorksheet(first ? `${areaId} ${first.areaTitle}`.slice(0, 31) : areaId);
    sheet.columns = EXPORT_COLUMNS.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.key === 'statement' ? 70 : 18,
    }));
    for (const r of rows.filter((x) => x.areaId === areaId)) {
      const cells: Record<string, string> = {};
      for (const c of EXPORT_COLUMNS) cells[c.key] = neutraliseFormula(r[c.key]);
      sheet.addRow(cells);
    }
    sheet.getRow(1).font = { bold: true };
  }
  const plansSheet = book.addWorksheet('Development plans');
  plansSheet.columns = PLAN_EXPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.key === 'activity' ? 70 : 18,
  }));
  for (const p of plans) {
    const cells: Record<string, string> = {};
    for (const c of PLAN_EXPORT_COLUMNS) cells[c.key] = neutraliseFormula(p[c.key]);
    plansSheet.addRow(cells);
  }
  plansSheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
