"""Traditional characters folded to simplified ones, one character for one, for matching only.

Plans copied from mirror sites come in traditional characters (負責單位, 時限要求, 辦公室). The
extractor matches its labels, column names and name endings on the folded text, and because every
character maps to exactly one character the offsets stay the same: what the caller sees is
sliced from the text as printed. The table covers the characters of government writing (labels,
unit names, deadlines, obligation words); it is no general converter (no opencc/zhconv is
installed and none is needed for matching).
"""

TRADITIONAL = (
    "牽頭單責負實時號務內體處門辦廳會區縣鄉鎮機構關檢監獄臺組織協館隊銀團園業產發開權際進動將確貫徹統籌昇優編執現規範標準決讀"
    "佈導網點類錄資訊職製報總結應須當強計劃項億達質專題設經濟財稅農衛醫環護態營數據維穩聯繫線傳覽覺議請審採購對則條書記長黨幹"
    "員紀級個們後於與為這從來麼問間過還氣東車變錢萬歲華備興戶圖廣豐勞獲齊義節調課說試證識認讓談論評詢諮訪訴該詳誤謀講譯譽貨費"
    "貸貿賬贊趨踐軟輸轉辭遞選遷遺邊鄰鏈閱闡陽險隨雜離電頁頒預領頻顯風養驗齡嚴層屆師幫帶慶擔擴斷歷況滿災無爭獎畫異盡眾礎積稱競"
    "築糧約細終緊罰聽腦舉舊藝補裝複見視觀訂討許誠賴趕軌較載輕輪遊郵釋針錯鍵鎖閉陸陳隱雖雲靜響頂順額願飯驅鬧夠樣寫週彙匯徵擁廢"
    "佔係債傷儲兩冊劇勵厲啟圍壞奮婦學寧寶屬崗幣彈徑復憑懸掃掛揚換搶撥擇擬攜敗暢暫曆曉棄榮樞樓樹橋檔櫃歐殺毀沒淺減測溝滅潔潛濃"
    "熱爐牆獻療盜礦禍種糾紛紹絕給綠綱緣緩繪羅聲脅腳膚臉艱莊蓋薦藥裡觸訓託診註誕誰諾謹譜貪販貴買賀賃賓賞賠賢賣賺賽贏躍轄辯違遲"
    "鋼鐵鑒陣靈顏飲駐騰驚魚鮮麗麥黃綜練習軍運適場壇壓價儀僅創勢參雙國堅塊尋廠懲橫淨禮筆簡紅納純紙衝術親詞誌諸謂貢貧賦贈陰戰擊"
    "攝損揮殘澤燈狀獨畢盤碼窮篩縮繳聖臨虛頓髮飛餘馬側簽謝聞閣庫遠裏輔衆讚愛慣憲惡恆廈剛勁喪壯夢奪懷擾敵倉偽傾兒凍棟漁濕灣畝碩"
    "豬鴻鳳彌歸櫥邁頸歡錶麵"
)
SIMPLIFIED = (
    "牵头单责负实时号务内体处门办厅会区县乡镇机构关检监狱台组织协馆队银团园业产发开权际进动将确贯彻统筹升优编执现规范标准决读"
    "布导网点类录资讯职制报总结应须当强计划项亿达质专题设经济财税农卫医环护态营数据维稳联系线传览觉议请审采购对则条书记长党干"
    "员纪级个们后于与为这从来么问间过还气东车变钱万岁华备兴户图广丰劳获齐义节调课说试证识认让谈论评询咨访诉该详误谋讲译誉货费"
    "贷贸账赞趋践软输转辞递选迁遗边邻链阅阐阳险随杂离电页颁预领频显风养验龄严层届师帮带庆担扩断历况满灾无争奖画异尽众础积称竞"
    "筑粮约细终紧罚听脑举旧艺补装复见视观订讨许诚赖赶轨较载轻轮游邮释针错键锁闭陆陈隐虽云静响顶顺额愿饭驱闹够样写周汇汇征拥废"
    "占系债伤储两册剧励厉启围坏奋妇学宁宝属岗币弹径复凭悬扫挂扬换抢拨择拟携败畅暂历晓弃荣枢楼树桥档柜欧杀毁没浅减测沟灭洁潜浓"
    "热炉墙献疗盗矿祸种纠纷绍绝给绿纲缘缓绘罗声胁脚肤脸艰庄盖荐药里触训托诊注诞谁诺谨谱贪贩贵买贺赁宾赏赔贤卖赚赛赢跃辖辩违迟"
    "钢铁鉴阵灵颜饮驻腾惊鱼鲜丽麦黄综练习军运适场坛压价仪仅创势参双国坚块寻厂惩横净礼笔简红纳纯纸冲术亲词志诸谓贡贫赋赠阴战击"
    "摄损挥残泽灯状独毕盘码穷筛缩缴圣临虚顿发飞余马侧签谢闻阁库远里辅众赞爱惯宪恶恒厦刚劲丧壮梦夺怀扰敌仓伪倾儿冻栋渔湿湾亩硕"
    "猪鸿凤弥归橱迈颈欢表面"
)
_TABLE = str.maketrans(TRADITIONAL, SIMPLIFIED)


def fold(text: str) -> str:
    """The text with traditional characters replaced by simplified ones; same length."""
    return text.translate(_TABLE)
