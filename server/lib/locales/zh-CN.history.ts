/** Simplified Chinese texts of histories people read (issue 12), merged into zh-CN.ts. Keys must match en.history.ts. */
export const zhCNhistory: Record<string, string> = {
  'history.money': '{amount}{unit}',
  'history.action.undo-import': '撤销导入',
  'history.byImport': '导入 #{id}',
  'history.imported': '导入 {count} 条记录',
  'history.undoneImport': '撤销导入 {count} 条记录',
  'history.importRows': '查看这次导入的记录',
  'history.moreRows': '另有 {count} 条未列出。',
  'history.scope': '本结对及其协议、记录和年度报送的全部变更，最新的在前。',
  'history.ofUser': '账号变更历史',
  'history.ofAgreement': '协议变更历史',
  'history.action.enable': '启用账号',
  'history.action.disable': '停用账号',
  'history.action.reset-password': '重置密码',
  'history.action.change-password': '修改密码',
  'history.action.read-all': '全部标为已读',
  'history.thing.report': '{year} 年度报送（{side}）',
};
