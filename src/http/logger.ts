// The logger used when the embedding app gives none.
import type { Logger } from '../ports/logger.ts';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
