import { describe, expect, it } from 'vitest';
import { hintColumnName } from './column-hints.js';

describe('column-name hints', () => {
  describe.each([
    ['sfzh', 'resident-id', 0.9],
    ['legal_rep_id_card', 'resident-id', 0.9],
    ['legalRepIdNumber', 'resident-id', 0.85],
    ['法定代表人身份证号', 'resident-id', 0.95],
    ['tyshxydm', 'uscc', 0.9],
    ['统一社会信用代码', 'uscc', 0.95],
    ['sjhm', 'mobile', 0.9],
    ['contact_mobile', 'mobile', 0.9],
    ['lxdh', 'mobile', 0.6],
    ['phone', 'mobile', 0.6],
    ['联系电话', 'mobile', 0.6],
    ['固定电话', 'landline', 0.85],
    ['yhkh', 'bank-card', 0.85],
    ['BANK_CARD_NO', 'bank-card', 0.85],
    ['email', 'email', 0.9],
    ['电子邮件', 'email', 0.9],
    ['dz', 'address', 0.5],
    ['home_address', 'address', 0.75],
    ['住址', 'address', 0.85],
    ['xm', 'person-name', 0.5],
    ['legal_rep_name', 'person-name', 0.75],
    ['name', 'person-name', 0.5],
    ['姓名', 'person-name', 0.85],
    ['cph', 'plate', 0.9],
  ])('%j', (name, type, weight) => {
    it(`hints ${type} with weight ${weight}`, () => {
      expect(hintColumnName(name)).toMatchObject({ type, weight });
    });
  });

  describe.each([['company_name'], ['enterprise_name'], ['user_name'], ['id'], ['created_at'], ['registered_capital'], ['注册资本'], ['']])(
    '%j',
    (name) => {
      it('gives no hint', () => {
        expect(hintColumnName(name)).toBeUndefined();
      });
    },
  );
});
