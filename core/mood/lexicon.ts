/**
 * The mood lexicon shipped with the project (written for issue 20, project licence; no third-party list is
 * copied). Weights are polarity per word, -3 (furious) … +3 (delighted). Simplified and traditional forms
 * are both listed because jieba's default dictionary is simplified: traditional words are added to the
 * segmenter's dictionary (server/mood/segmenter.ts) so 滿意 is one word, not 滿|意.
 */
export const zhWords: Readonly<Record<string, number>> = {
  // positive
  满意: 2, 滿意: 2, 谢谢: 1, 謝謝: 1, 感谢: 1.5, 感謝: 1.5, 好用: 1.5, 不错: 1.5, 不錯: 1.5, 点赞: 2, 點讚: 2, 讚: 2, 赞: 2,
  解决: 1, 解決: 1, 太好了: 2, 愉快: 1.5, 满分: 2, 高兴: 1.5, 高興: 1.5, 开心: 1.5, 開心: 1.5, 喜欢: 1.5, 喜歡: 1.5,
  没问题: 1, 沒問題: 1, 没关系: 1, 沒關係: 1, 明白: 0.5, 了解: 0.5, 好的: 0.5, 专业: 1, 專業: 1, 耐心: 1, 及时: 1, 及時: 1,
  // negative
  差: -2, 最差: -2.5, 失望: -2, 生气: -2.5, 生氣: -2.5, 愤怒: -3, 憤怒: -3, 气死: -3, 氣死: -3, 烦死: -2.5, 煩死: -2.5, 烦: -1.5, 煩: -1.5,
  垃圾: -3, 烂: -2.5, 爛: -2.5, 糟糕: -2, 恶心: -2.5, 噁心: -2.5, 过分: -2.5, 過分: -2.5, 离谱: -2.5, 離譜: -2.5, 坑: -1.5,
  骗子: -3, 騙子: -3, 诈骗: -3, 詐騙: -3, 欺骗: -3, 欺騙: -3, 投诉: -2, 投訴: -2, 退款: -0.5, 浪费: -1.5, 浪費: -1.5,
  闪退: -1.5, 閃退: -1.5, 当掉: -1.5, 當掉: -1.5, 坏: -1.5, 壞: -1.5, 坏了: -1.5, 壞了: -1.5, 麻烦: -1, 麻煩: -1,
  没用: -2.5, 沒用: -2.5, 无语: -2, 無語: -2, 受够: -3, 受夠: -3, 不理: -2, 没人管: -2, 沒人管: -2, 没人回复: -2, 沒人回覆: -2,
  迟到: -1.5, 遲到: -1.5, 太慢: -2, 慢: -1, 难用: -2, 難用: -2, 忽悠: -2.5, 敷衍: -2.5, 态度差: -3, 態度差: -3, 经理: -0.5, 主管: -0.5,
  不高兴: -2, 不高興: -2, 不满: -2, 不滿: -2, 不爽: -2, 郁闷: -1.5, 鬱悶: -1.5, 崩溃: -2.5, 崩潰: -2.5, 滚: -3, 滾: -3,
  赶紧: -1, 趕快: -1, 涨价: -1, 漲價: -1, 重复扣款: -1.5, 重複扣款: -1.5, 扣款: -0.5,
};

/** Imperative 别 (don't): 别浪费我时间 is still a complaint, so it does not flip a negative word. */
export const zhImperatives: ReadonlySet<string> = new Set(['别', '別', '不要']);

/** 麻烦 opening a request is "please" (麻烦把单号发给我), not "trouble". */
export const zhPoliteOpeners: ReadonlySet<string> = new Set(['麻烦', '麻煩']);

export const zhNegators: ReadonlySet<string> = new Set(['不', '没', '沒', '没有', '沒有', '别', '別', '未', '毫不', '并不', '並不', '不是', '一点都不', '一點都不', '都不']);

/** Multipliers: 非常 and 太 make the next word count more; 有点 less. */
export const zhIntensifiers: Readonly<Record<string, number>> = {
  非常: 1.8, 太: 1.8, 很: 1.4, 真: 1.5, 真的: 1.5, 特别: 1.7, 特別: 1.7, 超: 1.7, 超级: 1.8, 超級: 1.8, 极: 1.8, 極: 1.8, 极其: 2, 極其: 2,
  十分: 1.7, 最: 1.6, 好: 1.3, 相当: 1.5, 相當: 1.5, 实在: 1.6, 實在: 1.6, 根本: 1.6, 完全: 1.6, 有点: 0.6, 有點: 0.6, 稍微: 0.6,
};

export const enWords: Readonly<Record<string, number>> = {
  happy: 2, satisfied: 2, like: 1, thanks: 1, thank: 1, great: 2, good: 1.5, love: 2, perfect: 2, helpful: 1.5, appreciate: 1.5, fixed: 1,
  fine: 0.5, nice: 1.5, excellent: 2.5, awesome: 2.5, works: 0.5, quick: 0.5, done: 0.5,
  bad: -2, terrible: -2.5, awful: -2.5, horrible: -2.5, worst: -3, angry: -2.5, upset: -2, disappointed: -2, frustrated: -2.5,
  frustrating: -2.5, ridiculous: -2.5, unacceptable: -2.5, useless: -2.5, scam: -3, crashing: -1.5, crash: -1.5, crashes: -1.5,
  broken: -1.5, broke: -1.5, poor: -2, ignoring: -2, ignored: -2, ignore: -2, late: -1.5, sick: -1.5, wasting: -2, wasted: -2, waste: -2,
  refund: -0.5, manager: -0.5, report: -0.5, complaint: -1, complain: -1.5, annoying: -2, annoyed: -2, furious: -3, hate: -2.5,
  pathetic: -3, incompetent: -3, rude: -2.5, nobody: -1, never: -1, stop: -1, garbage: -3, joke: -1.5, fed: -1, disgusting: -3,
  idiot: -3, idiots: -3, stupid: -3, moron: -3, fuck: -3, fucking: -3, shit: -3, bullshit: -3, crap: -2.5, damn: -2,
};

export const enNegators: ReadonlySet<string> = new Set(['not', 'no', "n't", 'never', 'isnt', "isn't", 'dont', "don't", 'didnt', "didn't", 'wasnt', "wasn't", 'cant', "can't", 'wont', "won't", 'hardly', 'nothing']);

export const enIntensifiers: Readonly<Record<string, number>> = {
  very: 1.6, so: 1.5, really: 1.5, extremely: 2, absolutely: 1.8, too: 1.5, totally: 1.7, completely: 1.7, incredibly: 1.9, super: 1.6,
  honestly: 1.2, most: 1.4, ever: 1.3, all: 1.2, slightly: 0.6, bit: 0.6,
};

/**
 * Insults and profanity aimed at people, masked in the agent's view (core/mood/abuse.ts). Words that are
 * merely negative about a product (垃圾 about software) are in the mood lexicon, not here, unless aimed at a person.
 */
export const zhAbuse: readonly string[] = [
  '傻逼', '傻B', '傻屄', '煞笔', '沙比', '白痴', '白癡', '笨蛋', '蠢货', '蠢貨', '蠢猪', '蠢豬', '废物', '廢物', '混蛋', '王八蛋', '贱人', '賤人',
  '去死', '他妈的', '他媽的', '妈的', '媽的', '操你', '草泥马', '草泥馬', '狗东西', '狗東西', '滚蛋', '滾蛋', '脑残', '腦殘', '人渣', '婊子', '你妈', '你媽',
];

export const enAbuse: readonly string[] = [
  'idiot', 'idiots', 'stupid', 'moron', 'morons', 'fuck', 'fucking', 'fucker', 'shit', 'bullshit', 'bitch', 'asshole', 'bastard', 'dumbass',
  'retard', 'cunt', 'dickhead', 'wanker', 'motherfucker', 'scumbag',
];
