import { describe, expect, it } from 'vitest';
import { scoreMessage } from './segmenter';
import { findAbuse, maskAbuse } from '../../core/mood/abuse';
import { englishWords } from '../../core/mood/score';

describe('mood scoring', () => {
  it('flips a negated positive word: 满意 is positive, 不满意 negative, in both scripts and in English', () => {
    expect(scoreMessage('我很满意').negative).toBe(false);
    expect(scoreMessage('我很满意').score).toBeGreaterThan(0);
    expect(scoreMessage('我不满意').negative).toBe(true);
    expect(scoreMessage('我對結果不滿意').negative).toBe(true);
    expect(scoreMessage('I am happy').score).toBeGreaterThan(0);
    expect(scoreMessage('I am not happy').negative).toBe(true);
    expect(scoreMessage("I don't like waiting, this is not good").negative).toBe(true);
  });

  it('makes an intensified complaint more negative than a plain one (非常, 太, very)', () => {
    expect(scoreMessage('我非常生气').score).toBeLessThan(scoreMessage('我生气').score);
    expect(scoreMessage('质量太差').score).toBeLessThan(scoreMessage('质量差').score);
    expect(scoreMessage('very disappointed').score).toBeLessThan(scoreMessage('disappointed').score);
  });

  it('leaves a neutral question neutral', () => {
    for (const text of ['请问我的订单什么时候发货？', '請問門市幾點開？', 'Where is my invoice?']) expect(scoreMessage(text)).toEqual({ score: 0, negative: false });
  });

  it('scores words that are Object.prototype keys as plain words', () => {
    for (const text of ['constructor', "{{constructor.constructor('alert(1)')()}}", 'toString __proto__ valueOf']) expect(scoreMessage(text)).toEqual({ score: 0, negative: false });
  });

  it('splits English negations so "isn\'t" negates', () => {
    expect(englishWords("It isn't good")).toEqual(['it', 'is', "n't", 'good']);
  });
});

describe('abuse shield', () => {
  it('finds insults in Chinese and English and masks exactly them', () => {
    const body = '你这个傻逼，滚蛋 you idiot';
    expect(findAbuse(body).map((s) => body.slice(s.start, s.end))).toEqual(['傻逼', '滚蛋', 'idiot']);
    expect(maskAbuse(body)).toBe('你这个••，•• you •••••');
  });

  it('does not mask words that only contain an insult (Scunthorpe problem) or polite text', () => {
    expect(findAbuse('Classic shitake recipes from Scunthorpe')).toEqual([]);
    expect(findAbuse('谢谢你的帮助')).toEqual([]);
  });
});
