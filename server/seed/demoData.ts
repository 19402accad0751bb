import type { Locale } from '../../core/locale';
import type { Role } from '../../core/wire/auth';

/** The fixed part of the demo data: people, teams, subject lines and quick replies (en, zh-CN, zh-TW). */

export const demoTeams = [
  { key: 'shanghai', name: 'Team Shanghai', language: 'zh-CN' },
  { key: 'berlin', name: 'Team Berlin', language: 'en' },
] as const satisfies readonly { key: string; name: string; language: Locale }[];
export type TeamKey = (typeof demoTeams)[number]['key'];

export type DemoUser = { username: string; displayName: string; role: Role; language: Locale; extension: string | null; team: TeamKey | null };

/** Extensions 1001-1004 match the SIP lab's provisioned accounts (tests/stack). */
export const demoUsers: readonly DemoUser[] = [
  { username: 'agent1', displayName: '李娜', role: 'agent', language: 'zh-CN', extension: '1001', team: 'shanghai' },
  { username: 'agent2', displayName: '陳怡婷', role: 'agent', language: 'zh-TW', extension: '1002', team: 'shanghai' },
  { username: 'agent3', displayName: 'Jonas Weber', role: 'agent', language: 'en', extension: '1003', team: 'berlin' },
  { username: 'agent4', displayName: 'Amira Haddad', role: 'agent', language: 'en', extension: '1004', team: 'berlin' },
  { username: 'lead1', displayName: '王军', role: 'lead', language: 'zh-CN', extension: '1005', team: 'shanghai' },
  { username: 'lead2', displayName: 'Sarah Klein', role: 'lead', language: 'en', extension: '1006', team: 'berlin' },
  { username: 'admin', displayName: 'IT Admin', role: 'admin', language: 'en', extension: null, team: null },
];

/** [written name, romanized for the e-mail address] */
type NamePart = readonly [string, string];

export const chineseNames = {
  'zh-CN': {
    family: [['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['赵', 'zhao'], ['黄', 'huang'], ['周', 'zhou'], ['吴', 'wu'], ['徐', 'xu'], ['孙', 'sun']] as NamePart[],
    given: [['伟', 'wei'], ['芳', 'fang'], ['秀英', 'xiuying'], ['敏', 'min'], ['静', 'jing'], ['磊', 'lei'], ['洋', 'yang'], ['艳', 'yan'], ['勇', 'yong'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['晓燕', 'xiaoyan']] as NamePart[],
  },
  'zh-TW': {
    family: [['陳', 'chen'], ['林', 'lin'], ['黃', 'huang'], ['張', 'chang'], ['李', 'lee'], ['王', 'wang'], ['吳', 'wu'], ['劉', 'liu'], ['蔡', 'tsai'], ['楊', 'yang'], ['許', 'hsu'], ['鄭', 'cheng']] as NamePart[],
    given: [['志明', 'chihming'], ['淑芬', 'shufen'], ['家豪', 'chiahao'], ['雅婷', 'yating'], ['冠宇', 'kuanyu'], ['怡君', 'yichun'], ['俊傑', 'chunchieh'], ['佳穎', 'chiaying'], ['宗翰', 'tsunghan'], ['美玲', 'meiling']] as NamePart[],
  },
};

export const westernNames = {
  first: ['Emma', 'Lukas', 'Olivia', 'Noah', 'Mia', 'Leon', 'Sophie', 'James', 'Hannah', 'Elias', 'Grace', 'Oliver', 'Lena', 'Daniel', 'Chloe', 'Finn', 'Priya', 'Mateo', 'Aisha', 'Tom'],
  last: ['Müller', 'Schmidt', 'Smith', 'Johnson', 'Fischer', 'Brown', 'Wagner', 'Taylor', 'Becker', 'Wilson', 'Hoffmann', 'Evans', 'Novak', 'García', 'Okafor', 'Kowalski'],
};

export type Channel = 'web' | 'chat' | 'messaging' | 'email' | 'voice';
export type SubjectTemplate = { text: string; tags: readonly string[]; channel?: Channel };

/** `{order}` and `{invoice}` are filled with numbers. */
export const subjects: Record<Locale, readonly SubjectTemplate[]> = {
  en: [
    { text: 'Refund not received for order {order}', tags: ['refund', 'billing'] },
    { text: 'Cannot log in after password reset', tags: ['login', 'account'] },
    { text: 'Router keeps dropping the Wi-Fi connection', tags: ['hardware', 'connectivity'] },
    { text: 'Invoice {invoice} shows the wrong VAT number', tags: ['invoice', 'billing'] },
    { text: 'Parcel marked delivered but never arrived', tags: ['shipping'] },
    { text: 'Please change the delivery address for order {order}', tags: ['shipping', 'order-change'] },
    { text: 'App crashes when I upload photos', tags: ['bug', 'mobile-app'] },
    { text: 'Charged twice for my subscription', tags: ['billing', 'refund'] },
    { text: 'Please call me back about my contract', tags: ['callback', 'contract'], channel: 'voice' },
    { text: 'Headset not recognised on Windows 11', tags: ['hardware'] },
    { text: 'How do I export all my data?', tags: ['account', 'how-to'] },
    { text: 'Cancel my subscription at the end of the month', tags: ['cancellation'] },
    { text: 'Item arrived damaged (order {order})', tags: ['shipping', 'replacement'] },
    { text: 'Two-factor code never arrives by SMS', tags: ['login', '2fa'] },
    { text: 'Question about upgrading to the business plan', tags: ['sales', 'upgrade'] },
    { text: 'Missed call from your number, what is it about?', tags: ['callback'], channel: 'voice' },
  ],
  'zh-CN': [
    { text: '订单 {order} 的退款还没到账', tags: ['refund', 'billing'] },
    { text: '重置密码后无法登录', tags: ['login', 'account'] },
    { text: '路由器经常断网', tags: ['hardware', 'connectivity'] },
    { text: '发票 {invoice} 的抬头需要修改', tags: ['invoice', 'billing'] },
    { text: '快递显示已签收，但我没收到', tags: ['shipping'] },
    { text: '会员被重复扣费了', tags: ['billing', 'refund'] },
    { text: '申请修改订单 {order} 的收货地址', tags: ['shipping', 'order-change'] },
    { text: 'App 上传照片时闪退', tags: ['bug', 'mobile-app'] },
    { text: '想取消自动续费', tags: ['cancellation'] },
    { text: '收到的商品有破损（订单 {order}）', tags: ['shipping', 'replacement'] },
    { text: '短信验证码一直收不到', tags: ['login', '2fa'] },
    { text: '合同问题，请尽快回电', tags: ['callback', 'contract'], channel: 'voice' },
    { text: '企业版价格咨询', tags: ['sales', 'upgrade'] },
  ],
  'zh-TW': [
    { text: '訂單 {order} 的退款尚未入帳', tags: ['refund', 'billing'] },
    { text: '重設密碼後無法登入', tags: ['login', 'account'] },
    { text: '路由器一直斷線', tags: ['hardware', 'connectivity'] },
    { text: '發票 {invoice} 的統一編號需要更正', tags: ['invoice', 'billing'] },
    { text: '物流顯示已送達，但我沒收到', tags: ['shipping'] },
    { text: '會員被重複扣款', tags: ['billing', 'refund'] },
    { text: '想更改訂單 {order} 的收件地址', tags: ['shipping', 'order-change'] },
    { text: 'App 上傳照片時當機', tags: ['bug', 'mobile-app'] },
    { text: '請取消自動續訂', tags: ['cancellation'] },
    { text: '收到的商品有損壞（訂單 {order}）', tags: ['shipping', 'replacement'] },
    { text: '簡訊驗證碼一直收不到', tags: ['login', '2fa'] },
    { text: '合約問題，麻煩回電', tags: ['callback', 'contract'], channel: 'voice' },
  ],
};

/** The customer's first message; `{subject}` and `{name}` are filled in. */
export const openingMessages: Record<Locale, readonly string[]> = {
  en: [
    'Hi, {subject}. Could you please look into it? Thanks, {name}',
    'Hello support team, {subject}. This is the second time I am writing. Regards, {name}',
    '{subject}. I need this sorted today if possible. {name}',
  ],
  'zh-CN': ['您好，{subject}，麻烦尽快处理，谢谢。{name}', '客服你好：{subject}。这已经是我第二次联系你们了。{name}', '{subject}，今天能解决吗？{name}'],
  'zh-TW': ['您好，{subject}，麻煩盡快處理，謝謝。{name}', '客服您好：{subject}。這已經是我第二次聯絡了。{name}', '{subject}，今天可以處理嗎？{name}'],
};

export const agentReplies: Record<Locale, readonly string[]> = {
  en: ['Thanks for reaching out, {name}. I am looking into this now and will update you shortly.', 'Hi {name}, I have escalated this to our billing team; you will hear from us within 24 hours.'],
  'zh-CN': ['{name}您好，感谢联系我们，我正在为您核实，稍后回复您。', '{name}您好，已为您转交相关部门处理，24 小时内给您答复。'],
  'zh-TW': ['{name}您好，感謝您的來信，我正在為您確認，稍後回覆。', '{name}您好，已為您轉交相關部門處理，24 小時內回覆您。'],
};

export const internalNotes: readonly string[] = [
  'Customer called twice already; handle with care.',
  'Checked the payment provider: the refund was issued on our side.',
  '客户情绪激动，建议主管回电。',
  'Waiting for the warehouse to confirm the return.',
];

export type QuickReplySeed = {
  scope: TeamKey | 'global' | `personal:${string}`;
  category: string;
  shortcut: string;
  title: string;
  bodies: Record<Locale, string>;
};
