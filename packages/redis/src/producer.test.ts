import { describe, expect, it } from 'vitest';
import { headerColumns } from './producer.js';

describe('headerColumns: a CSV header line as the pool reads it', () => {
  it('drops a BOM and a final CR, unquotes quoted names, keeps empty and comma-holding ones', () => {
    expect(headerColumns('id,word')).toEqual(['id', 'word']);
    expect(headerColumns('\uFEFF"id","word"\r')).toEqual(['id', 'word']);
    expect(headerColumns('"a,b","say ""hi""",,c')).toEqual(['a,b', 'say "hi"', '', 'c']);
  });
});
