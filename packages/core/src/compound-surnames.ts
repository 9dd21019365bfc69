/**
 * Two-character Chinese surnames (复姓) from the 百家姓 and common use, in
 * simplified and traditional forms. A name of three or more characters that
 * starts with one of these keeps both characters (`欧阳**`). Shared by mask's
 * `name` rule and classify's person-name detector.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set(
  (
    '欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 公冶 ' +
    '太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 ' +
    '漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 公玉 公仪 梁丘 公仲 ' +
    '公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 东里 东宫 仲长 子书 子桑 即墨 达奚 ' +
    '褚师 单于 完颜 爱新 叶赫 纳兰 歐陽 司馬 諸葛 東方 尉遲 長孫 獨孤 南宮 西門 鍾離 軒轅 公孫 聞人 赫連 ' +
    '澹臺 鮮於 閭丘 顓孫 樂正'
  ).split(' '),
);
