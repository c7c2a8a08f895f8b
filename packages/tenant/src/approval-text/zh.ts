// The phone approval page in Simplified Chinese (zh-CN, TEP §5).
import type { ApprovalText } from './en.js'

export const zh: ApprovalText = {
  title: '确认你的登录安全验证设置',
  organisation: '组织', host: '网址', account: '帐户', computer: '计算机', requested: '请求时间',
  warnTitle: '只有当你刚刚用手机扫描了计算机上 Unloop 窗口中的 QR 码时，才可继续。',
  warnBody: '如果你是从电子邮件或短信打开此页面的，请立即停止，并关闭此页面。此页面绝不会要求你输入密码。',
  number: '计算机上显示的数字', code: '验证器应用中当前的 6 位验证码',
  approve: '批准', deny: '不是我发起的',
  wrong_number: { other: '该数字与计算机上显示的数字不一致。还剩 {n} 次尝试机会。' },
  invalid_code: '该验证码不正确。请检查验证器应用中的验证码。',
  code_replayed: '该验证码已被使用。请等待应用中出现下一个验证码，然后输入。',
  clock_skew: '你的手机时钟不准确。请将日期和时间设置为自动，然后重试。',
  locked: '失败的尝试次数过多。请稍等一会儿，然后在计算机上重新开始。',
  missing: '请输入数字和验证码。',
  approved: '已完成。请回到你的计算机。',
  denied: '设置已取消。如果这不是你发起的，请告知 IT 部门。',
  failed: '错误尝试的次数过多。请在计算机上重新开始。',
  expired: '此请求已过期。请在计算机上重新开始。',
  invalid: '此链接无效或已被使用。',
}
