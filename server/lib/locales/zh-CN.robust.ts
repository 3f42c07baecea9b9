/** Simplified Chinese texts of one area, merged into zh-CN.ts. Keys must match en.robust.ts. */
export const zhCNrobust: Record<string, string> = {
  'errors.tooLarge.title': '提交的内容过大',
  'errors.tooLarge.body': '提交的内容过大，超出了系统允许的大小。请精简内容或分批提交。',
  'errors.tooManyFields.body': '表单字段过多，超出了系统允许的数量。请分批提交。',
  'errors.unsupported.title': '不支持的内容格式',
  'errors.charset.body': '不支持提交内容所用的字符编码，请使用 UTF-8。',
  'errors.encoding.body': '不支持提交内容所用的压缩方式。',
  'errors.unavailable.title': '服务暂时不可用',
  'errors.unavailable.body': '服务暂时不可用，请稍后再试。',
  'errors.dbUnavailable.body':
    '数据库暂时无法写入（磁盘已满、只读或读写出错），本次修改没有保存，已保存的数据不受影响。请稍后再试，或联系系统管理员。',
  'errors.dbBusy.body': '数据库正忙，本次修改没有保存。请稍后再试。',
  'errors.dbFull.body':
    '服务器存储空间已满，本次修改没有保存，已保存的数据不受影响。请联系系统管理员清理或扩充存储空间后再提交。',
  'pdf.unavailable': 'PDF 打印服务不可用：服务器上没有可用的浏览器（Chromium）。请联系系统管理员，或先使用网页打印。',
  'pdf.busy': 'PDF 打印服务正忙，请稍后再试。',
  'upload.zipBomb': '文件解压后过大或所含条目过多（可能是“压缩炸弹”），已拒绝。请上传正常的 Word 或 Excel 文件。',
  'upload.badZip': '文件不是有效的 Word 或 Excel 文件（压缩包已损坏），已拒绝。',
};
