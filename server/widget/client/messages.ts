import type { Locale } from '../../../core/locale';

/** The widget's words in the three shipped languages; keys are what the page shows. */
const en = {
  title: 'Chat with us',
  intro: 'Tell us who you are and what it is about; an agent will be with you shortly.',
  name: 'Your name (optional)',
  language: 'Language',
  topic: 'Topic',
  start: 'Start chat',
  waiting: 'Waiting for an agent…',
  withAgent: 'You are chatting with {name}',
  ended: 'The chat has ended.',
  message: 'Message',
  send: 'Send',
  attach: 'Attach a file',
  end: 'End chat',
  typing: '{name} is typing…',
  agent: 'Agent',
  you: 'You',
  read: 'Read',
  sending: 'Sending…',
  surveyTitle: 'How did we do?',
  liked: 'What did you like?',
  disliked: "What didn't you like?",
  improve: 'How can we improve?',
  score: 'Your satisfaction (1 = poor, 5 = excellent)',
  submit: 'Send answers',
  thanks: 'Thank you for your feedback!',
  newChat: 'Start a new chat',
  offline: 'Connection lost; reconnecting…',
  failed: 'Something went wrong: {reason}',
  blocked: 'Sorry, chat is not available to you at the moment. You can still reach us by e-mail or phone.',
  tooLarge: 'Files are limited to 5 MB.',
  'quota-messages': 'You have sent many messages in a short time. Please wait {wait} before sending more; your message is still in the box.',
  'quota-files': 'You have sent as many files as we can take for now. Please try again in {wait}.',
  'quota-file-bytes': 'Your files are more than we can take for now. Please try again in {wait}, or send a smaller file.',
  'quota-chats': 'Many chats were started from your network just now. Please try again in {wait}.',
  'wait.seconds': '{n} seconds',
  'wait.minutes': 'about {n} minutes',
  'event.conversation-started': 'Chat started',
  'event.assigned': 'An agent joined the chat',
  'event.transferred': 'You are being transferred to a colleague',
  'event.closed': 'The chat has ended',
  'event.survey-answered': 'Thank you for your feedback!',
  'topic.general': 'General question',
  'topic.orders': 'Orders and delivery',
  'topic.billing': 'Billing and refunds',
  'topic.technical': 'Technical support',
};
export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  title: '在线客服',
  intro: '请告诉我们您的称呼和咨询内容，客服马上为您服务。',
  name: '您的称呼（选填）',
  language: '语言',
  topic: '咨询类别',
  start: '开始对话',
  waiting: '正在为您接入客服…',
  withAgent: '{name} 正在为您服务',
  ended: '对话已结束。',
  message: '消息',
  send: '发送',
  attach: '发送文件',
  end: '结束对话',
  typing: '{name} 正在输入…',
  agent: '客服',
  you: '我',
  read: '已读',
  sending: '发送中…',
  surveyTitle: '请评价本次服务',
  liked: '您满意的地方？',
  disliked: '您不满意的地方？',
  improve: '我们可以如何改进？',
  score: '满意度（1 = 很差，5 = 非常满意）',
  submit: '提交评价',
  thanks: '感谢您的反馈！',
  newChat: '开始新的对话',
  offline: '连接已断开，正在重新连接…',
  failed: '出错了：{reason}',
  blocked: '抱歉，您目前无法使用在线聊天。您仍可通过邮件或电话联系我们。',
  tooLarge: '文件不能超过 5 MB。',
  'quota-messages': '您在短时间内发送了较多消息，请等待{wait}后再发送；您的消息仍保留在输入框中。',
  'quota-files': '您发送的文件已达到目前的上限，请{wait}后再试。',
  'quota-file-bytes': '您的文件总大小已超过目前可接收的上限，请{wait}后再试，或发送较小的文件。',
  'quota-chats': '您所在的网络刚刚发起了较多对话，请{wait}后再试。',
  'wait.seconds': '{n} 秒',
  'wait.minutes': '约 {n} 分钟',
  'event.conversation-started': '对话已开始',
  'event.assigned': '客服已加入对话',
  'event.transferred': '正在为您转接其他同事',
  'event.closed': '对话已结束',
  'event.survey-answered': '感谢您的反馈！',
  'topic.general': '一般咨询',
  'topic.orders': '订单与配送',
  'topic.billing': '账单与退款',
  'topic.technical': '技术支持',
};

const zhTW: Record<MessageKey, string> = {
  title: '線上客服',
  intro: '請告訴我們您的稱呼和諮詢內容，客服馬上為您服務。',
  name: '您的稱呼（選填）',
  language: '語言',
  topic: '諮詢類別',
  start: '開始對話',
  waiting: '正在為您接通客服…',
  withAgent: '{name} 正在為您服務',
  ended: '對話已結束。',
  message: '訊息',
  send: '傳送',
  attach: '傳送檔案',
  end: '結束對話',
  typing: '{name} 正在輸入…',
  agent: '客服',
  you: '我',
  read: '已讀',
  sending: '傳送中…',
  surveyTitle: '請評價本次服務',
  liked: '您滿意的地方？',
  disliked: '您不滿意的地方？',
  improve: '我們可以如何改進？',
  score: '滿意度（1 = 很差，5 = 非常滿意）',
  submit: '送出評價',
  thanks: '感謝您的回饋！',
  newChat: '開始新的對話',
  offline: '連線中斷，正在重新連線…',
  failed: '發生錯誤：{reason}',
  blocked: '抱歉，您目前無法使用線上聊天。您仍可透過電子郵件或電話與我們聯絡。',
  tooLarge: '檔案不能超過 5 MB。',
  'quota-messages': '您在短時間內傳送了較多訊息，請等待{wait}後再傳送；您的訊息仍保留在輸入框中。',
  'quota-files': '您傳送的檔案已達到目前的上限，請{wait}後再試。',
  'quota-file-bytes': '您的檔案總大小已超過目前可接收的上限，請{wait}後再試，或傳送較小的檔案。',
  'quota-chats': '您所在的網路剛剛發起了較多對話，請{wait}後再試。',
  'wait.seconds': '{n} 秒',
  'wait.minutes': '約 {n} 分鐘',
  'event.conversation-started': '對話已開始',
  'event.assigned': '客服已加入對話',
  'event.transferred': '正在為您轉接其他同事',
  'event.closed': '對話已結束',
  'event.survey-answered': '感謝您的回饋！',
  'topic.general': '一般諮詢',
  'topic.orders': '訂單與配送',
  'topic.billing': '帳單與退款',
  'topic.technical': '技術支援',
};

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

export const languageNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };
export const topics = ['general', 'orders', 'billing', 'technical'] as const;

export function translator(locale: Locale) {
  return (key: MessageKey, vars: Record<string, string> = {}) => catalogs[locale][key].replace(/\{(\w+)\}/g, (_, v: string) => vars[v] ?? '');
}

const quotaCodes = ['quota-messages', 'quota-files', 'quota-file-bytes', 'quota-chats'] as const;
export type QuotaCode = (typeof quotaCodes)[number];
export const isQuotaCode = (code: string | undefined): code is QuotaCode => quotaCodes.some((c) => c === code);

/**
 * What the customer reads when the server refuses for a quota (server/widget/quotas.ts): a polite line in
 * the widget's language with the wait from Retry-After, instead of the server's English message.
 */
export function quotaNotice(t: ReturnType<typeof translator>, code: QuotaCode, retryAfterSeconds: number | null): string {
  const seconds = retryAfterSeconds && retryAfterSeconds > 0 ? retryAfterSeconds : 60;
  const wait = seconds < 90 ? t('wait.seconds', { n: String(Math.ceil(seconds)) }) : t('wait.minutes', { n: String(Math.ceil(seconds / 60)) });
  return t(code, { wait });
}
