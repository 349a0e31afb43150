import { newId } from './ids';

describe('newId', () => {
  it('gives unique ids that sort in the order they were made, a prefix and a 26-character ULID', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('sess'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^sess_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
