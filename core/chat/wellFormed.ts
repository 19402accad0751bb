/**
 * Lone UTF-16 surrogates survive JSON.parse ("\ud800" is valid JSON) but not UTF-8: PostgreSQL's
 * drivers turn each into U+FFFD, so the stored text would silently differ from what was sent.
 * (String.prototype.isWellFormed is ES2024; core targets ES2022.)
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const loneSurrogates = new RegExp(loneSurrogate.source, 'g');

export const isWellFormed = (text: string): boolean => !loneSurrogate.test(text);

/** Each lone surrogate replaced by U+FFFD, as a UTF-8 encoder would; for names that are sanitized anyway. */
export const toWellFormed = (text: string): string => text.replace(loneSurrogates, '\uFFFD');
