import type { PolicyCategory, PolicyName } from '../schema';

/**
 * Display names and explanations for the Group Policy editor (ADML), one table per shipped language.
 * English follows the schema's descriptions; the Chinese tables are written for IT staff reading the
 * Group Policy editor in Simplified (zh-CN) or Traditional (zh-TW) Chinese. Typing the tables by
 * PolicyName makes a policy added to the schema without its strings a compile error.
 */
export type AdmlLanguage = 'en-US' | 'zh-CN' | 'zh-TW';
export const admlLanguages: readonly AdmlLanguage[] = ['en-US', 'zh-CN', 'zh-TW'];

export type PolicyStrings = {
  product: string;
  productDescription: string;
  supportedOn: string;
  categories: Record<PolicyCategory, string>;
  /** Appended to every explanation: what Computer vs User Configuration means here. */
  scopeNote: string;
  userSettableNote: string;
  policies: Record<PolicyName, { name: string; explain: string }>;
  /** Enum item labels, keyed `<PolicyName>.<value>`. */
  items: Record<string, string>;
};

const en: PolicyStrings = {
  product: 'Switchboard',
  productDescription: 'Policies for the Switchboard contact-center desktop app.',
  supportedOn: 'Switchboard 0.1 and later',
  categories: { connection: 'Connection', calls: 'Calls', updates: 'Updates', features: 'Features', 'sign-in': 'Sign-in', app: 'Application' },
  scopeNote:
    'Set under Computer Configuration, the value is mandatory: Settings shows it as managed by your organization and the agent cannot change it. Set under User Configuration, it is a default the agent may change where the setting is editable.',
  userSettableNote: 'When no mandatory policy sets it, the agent may change this in Settings.',
  policies: {
    ServerUrl: { name: 'Central server URL', explain: 'Address of the central Switchboard server, e.g. https://switchboard.example.com.' },
    SipWebSocketUrl: { name: 'SIP WebSocket URL', explain: 'SIP-over-WebSocket endpoint of the PBX, e.g. wss://sip.example.com:7443. Not configured: the server provisions it.' },
    SipDomain: { name: 'SIP domain', explain: 'SIP domain of agent addresses, e.g. example.com for sip:1001@example.com. Not configured: the server provisions it.' },
    TurnServers: {
      name: 'TURN servers',
      explain:
        'TURN/STUN servers as a JSON array of RTCIceServer objects, e.g. [{"urls":"turns:turn.example.com:443","username":"u","credential":"p"}]. They replace the servers the central server provisions. Not configured: the server provisions them.',
    },
    RelayOnlyTls443: { name: 'Relay call media only over TLS on port 443', explain: 'Send call media only through TURN over TLS on port 443 (turns:…:443) or TCP on 443, for networks that block UDP.' },
    AutoAnswer: { name: 'Answer calls automatically', explain: 'Incoming calls are answered as they arrive, with a short tone in the headset so the agent knows a caller is on the line (for queue agents who take call after call). A call that arrives while the agent is on another call still rings.' },
    EchoCancellation: { name: 'Echo cancellation', explain: "The microphone's echo cancellation: the caller does not hear their own voice coming back from the agent's speakers. Turn off only for a headset that cancels echo itself." },
    NoiseSuppression: { name: 'Noise suppression', explain: 'Steady background noise (a fan, traffic, a hum) is taken out of the microphone before the caller hears it. Turn off for a headset that suppresses noise itself.' },
    AutoGainControl: { name: 'Automatic gain', explain: 'A quiet or distant voice is brought up to a steady level before the caller hears it.' },
    AllowedSipDomains: {
      name: 'SIP domains links may call',
      explain:
        'Domains a sip: link (from a web page, an email or another app) may call, as a JSON array, e.g. ["example.com","*.partner.example"]; *. allows the domain and its subdomains. The agent\'s own SIP domain is always allowed. Not configured or empty: only the agent\'s own domain. A link never dials by itself: it fills the dialer and the agent confirms.',
    },
    BlockedNumberPatterns: {
      name: 'Blocked numbers',
      explain:
        'Numbers that are never dialed, as a JSON array of regular expressions matched against the number without spaces or dashes (a leading 00 is also read as +). The dialer shows the agent why a number is blocked. Not configured: premium-rate prefixes ["^\\\\+?1?900","^\\\\+44 ?9","^0900"]; an empty array blocks nothing.',
    },
    ReadinessCheck: {
      name: 'Readiness check before Available',
      explain:
        'Checks microphone, speaker, ringer, phone server, TURN and a short echo test call before the agent goes Available, as JSON: {"mode":"required","allowOverride":false,"echoExtension":"9196","maxRttMs":400,"maxJitterMs":50,"maxLossPct":5,"minMos":3.6}. Mode off: no check; recommended: offered, never blocks; required: a failed check keeps the agent out of Available unless allowOverride is true. Not configured: recommended, with the thresholds shown.',
    },
    UpdateMode: { name: 'Update mode', explain: 'Default: updates install when no call is active and the agent is not in a shift. Manual: the agent installs them. None: never check for updates. Window: install only inside the update window.' },
    UpdateWindow: { name: 'Update window', explain: 'Local time window in which updates may install, as JSON: {"start":"02:00","end":"05:00"}. An end before the start spans midnight.' },
    UpdateFeedUrl: { name: 'Update feed URL', explain: 'Address of the update feed (electron-updater generic provider). Not configured: no updates are checked.' },
    AllowCallRecording: { name: 'Allow call recording', explain: 'Agents may record calls locally.' },
    AllowWebMode: { name: 'Allow web mode', explain: 'Agents may use Switchboard in a web browser as well as in the desktop app. Disabled: the web app asks them to use the desktop app.' },
    SilentListeningVisible: { name: 'Show silent listening to agents', explain: 'Agents see when a team lead is listening to their call.' },
    PasswordLoginEnabled: { name: 'Allow password sign-in', explain: 'Agents may sign in with a password. Disable to require single sign-on.' },
    LogLevel: { name: 'Log level', explain: 'Detail of the logs kept for diagnostics.' },
    StartAtLogin: { name: 'Start at login', explain: 'Start Switchboard when the user signs in to the computer.' },
    DefaultLanguage: { name: 'Language', explain: 'Language of the app. Not configured: the operating system language.' },
  },
  items: {
    'UpdateMode.default': 'Install when idle (default)',
    'UpdateMode.manual': 'Manual: the agent installs',
    'UpdateMode.none': 'None: never check',
    'UpdateMode.window': 'Only inside the update window',
    'LogLevel.error': 'Errors',
    'LogLevel.warn': 'Warnings',
    'LogLevel.info': 'Information',
    'LogLevel.debug': 'Debug',
    'DefaultLanguage.en': 'English',
    'DefaultLanguage.zh-CN': 'Chinese (Simplified)',
    'DefaultLanguage.zh-TW': 'Chinese (Traditional)',
  },
};

const zhCN: PolicyStrings = {
  product: 'Switchboard',
  productDescription: 'Switchboard 联络中心桌面应用的策略。',
  supportedOn: 'Switchboard 0.1 及更高版本',
  categories: { connection: '连接', calls: '通话', updates: '更新', features: '功能', 'sign-in': '登录', app: '应用程序' },
  scopeNote: '在“计算机配置”下设置时，该值为强制值：设置页面显示“由你的组织管理”，坐席无法更改。在“用户配置”下设置时，它是默认值，坐席可在可编辑的设置中更改。',
  userSettableNote: '未由强制策略设置时，坐席可以在“设置”中更改此项。',
  policies: {
    ServerUrl: { name: '中央服务器地址', explain: 'Switchboard 中央服务器的地址，例如 https://switchboard.example.com。' },
    SipWebSocketUrl: { name: 'SIP WebSocket 地址', explain: '电话交换机的 SIP over WebSocket 端点，例如 wss://sip.example.com:7443。未配置时由服务器下发。' },
    SipDomain: { name: 'SIP 域', explain: '坐席地址的 SIP 域，例如 sip:1001@example.com 中的 example.com。未配置时由服务器下发。' },
    TurnServers: {
      name: 'TURN 服务器',
      explain:
        'TURN/STUN 服务器，格式为 RTCIceServer 对象的 JSON 数组，例如 [{"urls":"turns:turn.example.com:443","username":"u","credential":"p"}]。它们将替换服务器下发的服务器。未配置时由服务器下发。',
    },
    RelayOnlyTls443: { name: '仅通过 443 端口的 TLS 中继通话媒体', explain: '通话媒体只经由 443 端口上的 TURN over TLS（turns:…:443）或 TCP 传输，适用于屏蔽 UDP 的网络。' },
    AutoAnswer: { name: '自动接听来电', explain: '来电到达即自动接听，并在耳机中播放一声短促提示音，让坐席知道已有客户接入（适用于连续接听队列来电的坐席）。坐席正在通话时到达的来电仍会振铃。' },
    EchoCancellation: { name: '回声消除', explain: '麦克风回声消除：客户不会从坐席的扬声器里听到自己的回声。仅当耳机自带回声消除时才关闭。' },
    NoiseSuppression: { name: '降噪', explain: '在客户听到之前去除麦克风中的持续背景噪声（风扇、交通、嗡嗡声）。耳机自带降噪时可关闭。' },
    AutoGainControl: { name: '自动增益', explain: '把轻声或离麦克风较远的声音调到稳定的音量，再传给客户。' },
    AllowedSipDomains: {
      name: '链接可拨打的 SIP 域',
      explain:
        '来自网页、电子邮件或其他应用的 sip: 链接可以拨打的域，以 JSON 数组表示，例如 ["example.com","*.partner.example"]；*. 表示该域及其所有子域。坐席自己的 SIP 域始终允许。未配置或为空时：只允许坐席自己的域。链接不会直接拨号：它只填入拨号盘，由坐席确认后拨打。',
    },
    BlockedNumberPatterns: {
      name: '禁止拨打的号码',
      explain:
        '永不拨打的号码，以正则表达式的 JSON 数组表示，匹配去掉空格和连字符后的号码（开头的 00 也按 + 处理）。拨号盘会向坐席说明号码被禁止的原因。未配置时：禁止付费电话号段 ["^\\\\+?1?900","^\\\\+44 ?9","^0900"]；空数组表示不禁止任何号码。',
    },
    ReadinessCheck: {
      name: '切换为“可接听”前的就绪检查',
      explain:
        '坐席切换为“可接听”前检查麦克风、扬声器、铃声设备、电话服务器、TURN 以及一次简短的回声测试通话，JSON 格式：{"mode":"required","allowOverride":false,"echoExtension":"9196","maxRttMs":400,"maxJitterMs":50,"maxLossPct":5,"minMos":3.6}。mode 为 off：不检查；recommended：提供检查，但不阻止；required：检查失败时坐席不能切换为“可接听”，除非 allowOverride 为 true。未配置：recommended，阈值如上。',
    },
    UpdateMode: { name: '更新模式', explain: '默认：在没有通话且坐席不在班次中时安装更新。手动：由坐席自行安装。无：从不检查更新。时间窗口：仅在更新时间窗口内安装。' },
    UpdateWindow: { name: '更新时间窗口', explain: '允许安装更新的本地时间段，JSON 格式：{"start":"02:00","end":"05:00"}。结束时间早于开始时间表示跨越午夜。' },
    UpdateFeedUrl: { name: '更新源地址', explain: '更新源的地址（electron-updater generic 提供程序）。未配置时不检查更新。' },
    AllowCallRecording: { name: '允许通话录音', explain: '坐席可以在本地录制通话。' },
    AllowWebMode: { name: '允许网页模式', explain: '坐席除桌面应用外，还可以在网页浏览器中使用 Switchboard。禁用后，网页版会提示改用桌面应用。' },
    SilentListeningVisible: { name: '向坐席显示静默监听', explain: '组长监听通话时，坐席可以看到提示。' },
    PasswordLoginEnabled: { name: '允许密码登录', explain: '坐席可以使用密码登录。禁用后必须使用单点登录。' },
    LogLevel: { name: '日志级别', explain: '为诊断保留的日志详细程度。' },
    StartAtLogin: { name: '登录时启动', explain: '用户登录计算机时自动启动 Switchboard。' },
    DefaultLanguage: { name: '语言', explain: '应用的界面语言。未配置时使用操作系统语言。' },
  },
  items: {
    'UpdateMode.default': '空闲时安装（默认）',
    'UpdateMode.manual': '手动：由坐席安装',
    'UpdateMode.none': '无：从不检查',
    'UpdateMode.window': '仅在更新时间窗口内',
    'LogLevel.error': '错误',
    'LogLevel.warn': '警告',
    'LogLevel.info': '信息',
    'LogLevel.debug': '调试',
    'DefaultLanguage.en': '英语',
    'DefaultLanguage.zh-CN': '简体中文',
    'DefaultLanguage.zh-TW': '繁体中文',
  },
};

const zhTW: PolicyStrings = {
  product: 'Switchboard',
  productDescription: 'Switchboard 客服中心桌面應用程式的原則。',
  supportedOn: 'Switchboard 0.1 及更新版本',
  categories: { connection: '連線', calls: '通話', updates: '更新', features: '功能', 'sign-in': '登入', app: '應用程式' },
  scopeNote: '在「電腦設定」下設定時，該值為強制值：設定頁面顯示「由您的組織管理」，客服人員無法變更。在「使用者設定」下設定時，它是預設值，客服人員可在可編輯的設定中變更。',
  userSettableNote: '未由強制原則設定時，客服人員可以在「設定」中變更此項。',
  policies: {
    ServerUrl: { name: '中央伺服器位址', explain: 'Switchboard 中央伺服器的位址，例如 https://switchboard.example.com。' },
    SipWebSocketUrl: { name: 'SIP WebSocket 位址', explain: '電話交換機的 SIP over WebSocket 端點，例如 wss://sip.example.com:7443。未設定時由伺服器提供。' },
    SipDomain: { name: 'SIP 網域', explain: '客服人員位址的 SIP 網域，例如 sip:1001@example.com 中的 example.com。未設定時由伺服器提供。' },
    TurnServers: {
      name: 'TURN 伺服器',
      explain:
        'TURN/STUN 伺服器，格式為 RTCIceServer 物件的 JSON 陣列，例如 [{"urls":"turns:turn.example.com:443","username":"u","credential":"p"}]。它們會取代伺服器提供的伺服器。未設定時由伺服器提供。',
    },
    RelayOnlyTls443: { name: '僅透過 443 連接埠的 TLS 中繼通話媒體', explain: '通話媒體只經由 443 連接埠上的 TURN over TLS（turns:…:443）或 TCP 傳輸，適用於封鎖 UDP 的網路。' },
    AutoAnswer: { name: '自動接聽來電', explain: '來電到達即自動接聽，並在耳機中播放一聲短促提示音，讓客服人員知道已有客戶接入（適用於連續接聽佇列來電的客服人員）。客服人員正在通話時到達的來電仍會響鈴。' },
    EchoCancellation: { name: '回音消除', explain: '麥克風回音消除：客戶不會從客服人員的喇叭裡聽到自己的回音。僅當耳機自帶回音消除時才關閉。' },
    NoiseSuppression: { name: '降噪', explain: '在客戶聽到之前去除麥克風中的持續背景噪音（風扇、交通、嗡嗡聲）。耳機自帶降噪時可關閉。' },
    AutoGainControl: { name: '自動增益', explain: '把輕聲或離麥克風較遠的聲音調到穩定的音量，再傳給客戶。' },
    AllowedSipDomains: {
      name: '連結可撥打的 SIP 網域',
      explain:
        '來自網頁、電子郵件或其他應用程式的 sip: 連結可以撥打的網域，以 JSON 陣列表示，例如 ["example.com","*.partner.example"]；*. 表示該網域及其所有子網域。客服人員自己的 SIP 網域一律允許。未設定或為空時：只允許客服人員自己的網域。連結不會直接撥號：它只填入撥號盤，由客服人員確認後撥打。',
    },
    BlockedNumberPatterns: {
      name: '禁止撥打的號碼',
      explain:
        '永不撥打的號碼，以正規表示式的 JSON 陣列表示，比對去除空格和連字號後的號碼（開頭的 00 也視為 +）。撥號盤會向客服人員說明號碼被禁止的原因。未設定時：禁止付費電話號碼 ["^\\\\+?1?900","^\\\\+44 ?9","^0900"]；空陣列表示不禁止任何號碼。',
    },
    ReadinessCheck: {
      name: '切換為「可接聽」前的就緒檢查',
      explain:
        '客服人員切換為「可接聽」前檢查麥克風、喇叭、鈴聲裝置、電話伺服器、TURN 以及一次簡短的回音測試通話，JSON 格式：{"mode":"required","allowOverride":false,"echoExtension":"9196","maxRttMs":400,"maxJitterMs":50,"maxLossPct":5,"minMos":3.6}。mode 為 off：不檢查；recommended：提供檢查，但不阻擋；required：檢查失敗時客服人員無法切換為「可接聽」，除非 allowOverride 為 true。未設定：recommended，門檻如上。',
    },
    UpdateMode: { name: '更新模式', explain: '預設：在沒有通話且客服人員不在班表中時安裝更新。手動：由客服人員自行安裝。無：永不檢查更新。時段：僅在更新時段內安裝。' },
    UpdateWindow: { name: '更新時段', explain: '允許安裝更新的當地時間區段，JSON 格式：{"start":"02:00","end":"05:00"}。結束時間早於開始時間表示跨越午夜。' },
    UpdateFeedUrl: { name: '更新來源位址', explain: '更新來源的位址（electron-updater generic 提供者）。未設定時不檢查更新。' },
    AllowCallRecording: { name: '允許通話錄音', explain: '客服人員可以在本機錄製通話。' },
    AllowWebMode: { name: '允許網頁模式', explain: '客服人員除桌面應用程式外，也可以在網頁瀏覽器中使用 Switchboard。停用後，網頁版會提示改用桌面應用程式。' },
    SilentListeningVisible: { name: '向客服人員顯示靜默監聽', explain: '組長監聽通話時，客服人員可以看到提示。' },
    PasswordLoginEnabled: { name: '允許密碼登入', explain: '客服人員可以使用密碼登入。停用後必須使用單一登入。' },
    LogLevel: { name: '記錄層級', explain: '為診斷保留的記錄詳細程度。' },
    StartAtLogin: { name: '登入時啟動', explain: '使用者登入電腦時自動啟動 Switchboard。' },
    DefaultLanguage: { name: '語言', explain: '應用程式的介面語言。未設定時使用作業系統語言。' },
  },
  items: {
    'UpdateMode.default': '閒置時安裝（預設）',
    'UpdateMode.manual': '手動：由客服人員安裝',
    'UpdateMode.none': '無：永不檢查',
    'UpdateMode.window': '僅在更新時段內',
    'LogLevel.error': '錯誤',
    'LogLevel.warn': '警告',
    'LogLevel.info': '資訊',
    'LogLevel.debug': '偵錯',
    'DefaultLanguage.en': '英文',
    'DefaultLanguage.zh-CN': '簡體中文',
    'DefaultLanguage.zh-TW': '繁體中文',
  },
};

export const policyStrings: Record<AdmlLanguage, PolicyStrings> = { 'en-US': en, 'zh-CN': zhCN, 'zh-TW': zhTW };
