/** Bad command-line usage: reported like a bad config (exit code 2). */
import { ValueError } from '../errors.js';

/** A flag or argument the user got wrong; the message names it. */
export class UsageError extends ValueError {}
