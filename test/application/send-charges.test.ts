// What a send undoes when it does not happen: exactly what it did, newest first, once.
import { describe, expect, it } from 'vitest';
import { sendCharges } from '../../src/application/send-charges.ts';

describe('sendCharges', () => {
  it('undoes every part newest first, each once', async () => {
    const done: string[] = [];
    const charges = sendCharges();
    charges.add('limits', async () => void done.push('limits'));
    charges.add('count', async () => void done.push('count'));
    charges.add('verification', async () => void done.push('verification'));
    await charges.undo();
    await charges.undo();
    expect(done).toEqual(['verification', 'count', 'limits']);
  });

  it('undoes only the parts named, and leaves the others to a later undo', async () => {
    const done: string[] = [];
    const charges = sendCharges();
    charges.add('limits', async () => void done.push('limits'));
    charges.add('count', async () => void done.push('count'));
    charges.add('verification', async () => void done.push('verification'));
    await charges.undo('verification', 'count');
    expect(done).toEqual(['verification', 'count']);
    await charges.undo();
    expect(done).toEqual(['verification', 'count', 'limits']);
  });
});
