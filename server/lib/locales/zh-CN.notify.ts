/** Simplified Chinese texts of notifications (提醒) and the daily digest, merged into zh-CN.ts. Keys must match en.notify.ts. */
export const zhCNnotify: Record<string, string> = {
  'nav.notifications': '提醒',
  'notify.title': '提醒',
  'notify.intro':
    '每天汇总一次：报送截止、退回的报送、等待确认的资金、对方修改的记录和考核阶段。点开一条即标为已读并转到相关页面。',
  'notify.markAllRead': '全部标为已读',
  'notify.allRead': '已将 {n} 条提醒标为已读。',
  'notify.unread': '未读',
  'notify.unreadCount': '{n} 条未读提醒',
  'notify.none': '暂无提醒。',
  'notify.kind.deadline7': '{pairing}：{sideName} {year} 年度数据尚未报送，将于 {deadline} 截止（还有 {days} 天）',
  'notify.kind.deadline1': '{pairing}：{sideName} {year} 年度数据尚未报送，{deadline} 即将截止，请尽快报送',
  'notify.kind.returned': '{pairing}：{sideName} {year} 年度报送被退回，原因：{reason}',
  'notify.kind.transfer': '{pairing}：一笔资金（{purpose}，{amount} 万元）等待确认已 {days} 天',
  'notify.kind.edits': '{pairing}：对方修改了 {n} 条记录',
  'notify.kind.stage': '{year} 年度考核进入“{stageName}”阶段',
  'notify.mail.subject': '东西部协作平台每日提醒（{day}，{n} 条）',
  'notify.mail.greeting': '{name}，您好：今天有以下提醒。',
  'notify.mail.footer': '请登录平台查看详情。此邮件由系统自动发送，请勿回复。',
  'users.email': '电子邮箱',
  'users.emailHelp': '选填。配置了邮件服务器时，每日提醒会发到这个邮箱。',
  'validation.email': '请填写有效的电子邮箱地址',
};
