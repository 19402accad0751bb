import { HttpError } from '../http/errors';

/** The conversation's state does not allow the request (offer taken, chat closed, capacity reached). */
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const payloadTooLarge = (message: string) => new HttpError(413, 'payload-too-large', message);
export const unsupportedMedia = (message: string) => new HttpError(415, 'unsupported-media-type', message);
