// The units the notice addresses: Zibo's eight districts and counties and its three zones.
import type { TestBot } from './harness.js';

export const DISTRICTS = ['张店区', '淄川区', '博山区', '周村区', '临淄区', '桓台县', '高青县', '沂源县'];
export const ZONES = ['高新区', '经济开发区', '文昌湖区'];

/** Adds every district (区县) and zone (功能区) as a top-level unit. */
export async function addDistrictsAndZones(bot: TestBot): Promise<void> {
  for (const name of DISTRICTS) await bot.addUnit(name, 'district');
  for (const name of ZONES) await bot.addUnit(name, 'zone');
}
