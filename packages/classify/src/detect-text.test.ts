import { describe, expect, it } from 'vitest';
import { detectAddress, detectPersonName, detectPlate } from './detect-text.js';

describe('person-name detector', () => {
  describe.each([
    ['张伟', 'a common surname and one character', 0.6],
    ['王秀英', 'a common surname and two characters', 0.6],
    ['欧阳娜娜', 'a compound surname and two characters', 0.75],
    ['司马光', 'a compound surname and one character', 0.75],
    [' 陳大文 ', 'a traditional surname, trimmed', 0.6],
  ])('%j', (value, what, confidence) => {
    it(`is a person name (${what})`, () => {
      expect(detectPersonName(value)).toEqual({ type: 'person-name', confidence });
    });
  });

  describe.each([
    ['的确', 'not a surname'],
    ['张', 'a surname alone'],
    ['王小明明', 'four characters with a single surname'],
    ['张伟1', 'a digit'],
    ['Zhang Wei', 'Latin letters'],
  ])('%j', (value, what) => {
    it(`is not a person name (${what})`, () => {
      expect(detectPersonName(value)).toBeUndefined();
    });
  });
});

describe('address detector', () => {
  describe.each([
    ['广东省深圳市南山区科技园路8号', 'province, city, district, road and number', 0.85],
    ['北京市朝阳区建国路', 'city, district and road', 0.65],
    ['中山路100号3栋', 'a street address without a division', 0.85],
  ])('%j', (value, what, confidence) => {
    it(`is an address (${what})`, () => {
      expect(detectAddress(value)).toEqual({ type: 'address', confidence });
    });
  });

  describe.each([
    ['北京市', 'too short'],
    ['中山路旁边很热闹的小巷', 'road words without a division or number'],
    ['市场部', 'one keyword'],
    ['Room 5, No. 8 Road, 区', 'mostly Latin'],
  ])('%j', (value, what) => {
    it(`is not an address (${what})`, () => {
      expect(detectAddress(value)).toBeUndefined();
    });
  });
});

describe('licence plate detector', () => {
  describe.each([
    ['京A12345', 'an ordinary plate'],
    ['粤B·D12345', 'a new-energy small car with a separator'],
    ['沪A12345D', 'a new-energy large vehicle'],
    ['京a1234学', 'a driving-school plate, lower case'],
  ])('%j', (value, what) => {
    it(`is a licence plate (${what})`, () => {
      expect(detectPlate(value)).toEqual({ type: 'plate', confidence: 0.95 });
    });
  });

  describe.each([
    ['京I12345', 'the letter I'],
    ['京A1234', 'four characters'],
    ['京A123456', 'six characters without D or F'],
    ['港A12345', 'not a province abbreviation'],
    ['京112345', 'a digit instead of the letter'],
  ])('%j', (value, what) => {
    it(`is not a licence plate (${what})`, () => {
      expect(detectPlate(value)).toBeUndefined();
    });
  });
});
