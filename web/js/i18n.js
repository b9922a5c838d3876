// Chinese first, English on request. The plan's own words come from the server ({zh, en}); this file holds only
// the desk's interface words.
const WORDS = {
  'app.title': ['森林火灾应急值班台', 'Forest-fire duty desk'],
  'nav.board': ['值班台', 'Status board'], 'nav.report': ['火情上报', 'Report'], 'nav.sheet': ['研判单', 'Decision sheet'],
  'nav.map': ['一张图', 'Map'], 'nav.audit': ['时间线与审计', 'Timeline & audit'], 'nav.drill': ['演练', 'Drill'],
  'nav.shift': ['交接班', 'Shift handover'],
  'logout': ['退出', 'Sign out'], 'live.title': ['实时连接', 'live connection'],
  'login.title': ['登录值班台', 'Sign in to the duty desk'], 'login.username': ['用户名', 'User name'],
  'login.password': ['密码', 'Password'], 'login.submit': ['登录', 'Sign in'],
  'login.expired': ['登录已过期，请重新登录。已填写的内容会保留。', 'Your session has expired: sign in again. What you typed is kept.'],
  'login.first': ['请以本人账号登录（每个账号对应预案中的一个角色）。', 'Sign in with your own account (one role of the plan each).'],
  'level.none': ['无', 'none'],
  'board.title': ['在办火情', 'Open incidents'], 'board.empty': ['暂无在办火情', 'No open incidents'],
  'board.incident': ['火情', 'Incident'], 'board.county': ['县（区）', 'County'], 'board.required': ['应启动', 'Required'],
  'board.declared': ['已宣布', 'Declared'], 'board.decides': ['决定', 'Decides'], 'board.next': ['下一级（时钟）', 'Next (clock)'],
  'board.duties': ['逾期事项', 'Overdue duties'], 'board.actions': ['操作', 'Actions'],
  'board.onduty': ['当前在岗', 'On duty'], 'board.nobody': ['无人签到', 'nobody signed in'],
  'board.lastupdate': ['更新于', 'updated'],
  'board.office': ['本办视图', "This office's view"], 'board.owed': ['应向上报告（5.2）', 'Upward reports owed (5.2)'],
  'owed.clause': ['条款', 'Clause'], 'owed.office': ['报告单位', 'Owing office'], 'owed.to': ['报送对象', 'To'],
  'owed.due': ['应报时间', 'Due'], 'owed.by': ['最迟', 'By'],
  'due.in': ['后到期', 'to go'], 'due.overdue': ['已逾期', 'overdue'], 'due.none': ['—', '—'],
  'duty.level': ['未宣布', 'not declared:'], 'duty.report': ['未向上报告', 'upward report not made:'],
  'duty.incomplete': ['漏报对象', 'recipients missing:'], 'duty.since': ['应于', 'due'],
  'duty.ack': ['确认', 'Acknowledge'], 'duty.acked': ['已确认', 'acknowledged by'],
  'alarm.title': ['逾期未办', 'Overdue'], 'alarm.sound': ['声音提示', 'sound'],
  'act.sheet': ['研判单', 'Sheet'], 'act.audit': ['审计', 'Audit'], 'act.map': ['地图', 'Map'], 'act.update': ['续报', 'Update'],
  'report.title': ['火情上报', 'Incident report'], 'report.submit': ['提交并研判', 'Record and assess'],
  'report.preview': ['仅研判（不入库）', 'Assess only (not recorded)'], 'report.clear': ['清空', 'Clear'],
  'report.basic': ['基本情况', 'The incident'], 'report.fire': ['火场态势', 'The fire'], 'report.people': ['人员伤亡', 'Casualties'],
  'report.context': ['时段、地区与关注', 'Period, area, attention'], 'report.threats': ['威胁对象', 'Threatened'],
  'report.boundary': ['边界', 'Boundaries'], 'report.weather': ['气象', 'Weather'], 'report.other': ['其他事实', 'Other facts'],
  'report.incident_id': ['火情编号', 'Incident id'], 'report.reported_at': ['报告时间', 'Reported at'],
  'report.county': ['县（区）', 'County'], 'report.lon': ['经度', 'Longitude'], 'report.lat': ['纬度', 'Latitude'],
  'report.open_fire_since': ['明火开始时间', 'Open fire since'], 'report.threats_given': ['已核实威胁情况（未勾选即为无威胁）', 'Threats checked (unticked = not threatened)'],
  'report.warning_colour': ['当前预警颜色', 'Current warning colour'],
  'report.temperature_c': ['气温', 'Temperature'], 'report.humidity_pct': ['相对湿度', 'Relative humidity'],
  'report.wind_speed_ms': ['风速', 'Wind speed'], 'report.wind_dir_deg': ['风向（来向）', 'Wind from'],
  'report.unknown': ['未报告', 'not reported'], 'report.yes': ['是', 'yes'], 'report.no': ['否', 'no'],
  'report.add_fact': ['添加事实', 'Add a fact'], 'report.remove': ['删除', 'Remove'],
  'report.recorded': ['已记录并研判：', 'Recorded and assessed:'], 'report.nothing': ['有错误，未记录任何内容。', 'There are errors: nothing was recorded.'],
  'report.late': ['迟报：报告时间早于该火情已记录的最新报告', 'Late report: earlier than the latest recorded report of this incident'],
  'report.update_of': ['续报：更新在办火情', 'Update of an open incident'],
  'report.from_map': ['位置取自地图点击', 'Location from the map click'],
  'report.forbidden': ['您的角色不能录入火情报告。', 'Your role may not record reports.'],
  'colour.none': ['无预警', 'none'], 'colour.blue': ['蓝色', 'blue'], 'colour.yellow': ['黄色', 'yellow'],
  'colour.orange': ['橙色', 'orange'], 'colour.red': ['红色', 'red'],
  'threat.residential': ['居民区', 'residential areas'], 'threat.key_facility': ['重要设施', 'key facilities'],
  'threat.military': ['军事设施', 'military facilities'], 'threat.hazardous_chemicals': ['危险化学品设施', 'hazardous chemicals'],
  'threat.oil_gas_pipeline': ['油气管道', 'oil/gas pipelines'], 'threat.railway': ['铁路线路', 'railway lines'],
  'threat.nuclear': ['核设施', 'nuclear facilities'], 'threat.major_hazard': ['重大危险源', 'major hazard sources'],
  'sheet.title': ['研判单', 'Decision sheet'], 'sheet.choose': ['选择火情', 'Choose an incident'],
  'sheet.none': ['暂无火情。先在“火情上报”录入。', 'No incidents yet: record one under “Report”.'],
  'sheet.level': ['响应级别', 'Response level'], 'sheet.decider': ['决定启动', 'Decided by'], 'sheet.grade': ['火灾等级', 'Fire grade'],
  'sheet.lead': ['指挥', 'Lead'], 'sheet.declared': ['已宣布', 'Declared'], 'sheet.assessed': ['研判时间', 'Assessed at'],
  'sheet.triggers': ['启动条件（已满足）', 'Start conditions that hold'], 'sheet.measures': ['响应措施', 'Measures'],
  'sheet.lead_units': ['牵头', 'led by'], 'sheet.reporting': ['向上报告（5.2）', 'Upward reports (5.2)'],
  'sheet.record_report': ['记录已报告', 'Record as reported'], 'sheet.reported': ['已报告', 'reported'],
  'sheet.safety': ['安全提示（三先四不打、十个严禁）', 'Safety (三先四不打, 十个严禁)'], 'sheet.why': ['依据', 'because'],
  'sheet.warning': ['预警响应', 'Warning response'], 'sheet.next': ['下一级', 'Next level'], 'sheet.clock': ['时钟', 'Clock'],
  'sheet.assumed': ['假定', 'Assumed'], 'sheet.notes': ['预案解释', 'Interpretations'], 'sheet.facts': ['事实与条款', 'Facts and clauses'],
  'sheet.records': ['记录', 'Records'], 'sheet.print': ['打印签字', 'Print to sign'],
  'sheet.declare': ['宣布启动', 'Declare'], 'sheet.close': ['终止响应并结案', 'End the response and close'],
  'sheet.no_declare': ['您的角色不决定响应级别，不能宣布。', 'Your role decides no level and may not declare.'],
  'sheet.confirm_declare': ['确认以「{role}」身份宣布启动 {level} 响应？', 'Declare a {level} response as {role}?'],
  'sheet.confirm_close': ['确认终止响应并结案？', 'End the response and close the incident?'],
  'sheet.declared_ok': ['已宣布', 'Declared'], 'sheet.sign_duty': ['值班员（签字）', 'Duty officer (signature)'],
  'sheet.sign_decider': ['决定人（签字）', 'Decided by (signature)'], 'sheet.sign_time': ['时间', 'Time'],
  'sheet.sign_note': ['备注', 'Notes'], 'sheet.by': ['录入', 'by'], 'sheet.late_badge': ['迟报', 'late'],
  'sheet.recorded_at': ['{at} 录入', 'recorded {at}'],
  'sheet.closed': ['已结案', 'closed'], 'sheet.none_required': ['无需启动市级响应', 'No city response required'],
  'map.title': ['一张图', 'The map'], 'map.report_here': ['在此上报火情', 'Report a fire here'],
  'map.layers': ['图层', 'Layers'], 'map.hillshade': ['地形晕渲', 'Hillshade'], 'map.counties': ['县（区）界', 'Counties'],
  'map.places': ['乡镇', 'Towns'], 'map.targets': ['重点目标', 'Key targets'], 'map.incidents': ['火情', 'Incidents'],
  'map.zones': ['地形危险区', 'Terrain hazards'], 'map.deploy': ['力量调动与撤离路线', 'Deployment and escape routes'],
  'map.no_maps': ['未配置地图（启动时加 --dem/--layers）。', 'No maps configured (start with --dem/--layers).'],
  'map.select': ['点击火情查看地形危险区、安全区与撤离路线、力量调动。', 'Click an incident for terrain hazards, safety zones, escape routes and deployment.'],
  'map.forecast': ['蔓延预测', 'Spread forecast'], 'map.projection': ['预测，非要求', 'projection, not a requirement'],
  'map.forecast_layer': ['蔓延预测（预测）', 'Forecast perimeters (projection)'],
  'map.forecast_run': ['计算 {h} 小时蔓延预测', 'Project {h} h of spread'],
  'map.forecast_iso': ['{h} 小时后火场范围 约 {ha} 公顷', 'perimeter at {h} h: about {ha} ha'],
  'map.forecast_at': ['报告后约 {h} 小时', 'about {h} h after the report'],
  'map.forecast_threat': ['{km} km 内受威胁：报告后约 {h} 小时', 'threatened within {km} km: about {h} h after the report'],
  'map.forecast_thresholds': ['可能触及的预案门槛（预测）', 'Plan thresholds it may cross (projected)'],
  'map.forecast_none': ['预测期内不触及新的门槛。', 'No further threshold within the horizon.'],
  'map.forecast_places': ['受威胁地点（预测）', 'Places threatened (projected)'],
  'map.forecast_notes': ['假设与输入', 'Assumptions and inputs'], 'map.forecast_ignition': ['起火点', 'ignition'],
  'map.eta': ['预计到达', 'ETA'], 'map.loading': ['计算中…', 'computing…'], 'map.no_forces': ['未配置力量（--forces）。', 'No forces registry (--forces).'],
  'audit.title': ['时间线与审计', 'Timeline and audit'], 'audit.download': ['下载审计页', 'Download the audit page'],
  'audit.timeline': ['时间线', 'Timeline'], 'audit.page': ['升级审计', 'Escalation audit'], 'audit.who': ['值班台记录人', 'Who recorded it at the desk'],
  'audit.verify': ['存储校验', 'Store verification'],
  'tl.time': ['时间', 'Time'], 'tl.event': ['事件', 'Event'], 'tl.assessed': ['评估', 'Assessed'],
  'tl.basis': ['依据', 'Basis'],
  'drill.title': ['演练', 'Drill'], 'drill.load': ['载入并回放', 'Load and replay'], 'drill.play': ['播放', 'Play'],
  'drill.pause': ['暂停', 'Pause'], 'drill.step': ['下一步', 'Step'], 'drill.reset': ['重来', 'Restart'],
  'drill.speed': ['速度', 'Speed'], 'drill.events': ['事件', 'Events'], 'drill.expect': ['预期检查', 'Expectations'],
  'drill.clock': ['演练时钟', 'Drill clock'], 'drill.result': ['结果', 'Result'],
  'drill.note': ['演练在独立的内存存储中回放，不影响值班库。', 'A drill replays into its own in-memory store; the duty store is not touched.'],
  'shift.title': ['交接班', 'Shift handover'], 'shift.sign_in': ['签到上岗', 'Sign in to the shift'],
  'shift.sign_out': ['交班签退', 'Hand over and sign out'], 'shift.on': ['在岗，自', 'On duty since'],
  'shift.off': ['未签到', 'Not signed in'], 'shift.sheet': ['交接班单', 'Handover sheet'], 'shift.note': ['交班说明', 'Handover note'],
  'shift.due': ['12小时内到期', 'Due within 12 h'], 'shift.done': ['本班已办', 'Done this shift'],
  'shift.history': ['交接记录', 'Shift log'], 'shift.onduty': ['在岗人员', 'On duty'],
  'err.network': ['与值班台服务器的连接中断，正在重连…', 'Connection to the desk server lost; reconnecting…'],
  'err.conflict': ['冲突', 'Conflict'],
};

let current = localStorage.getItem('firebreak.lang') === 'en' ? 'en' : 'zh';
export function lang() { return current; }
// The colon after a label: full-width in Chinese.
export function colon() { return current === 'en' ? ': ' : '：'; }
export function setLang(l) { current = l === 'en' ? 'en' : 'zh'; localStorage.setItem('firebreak.lang', current); }
export function t(key, vars) {
  const w = WORDS[key];
  let s = w ? w[current === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
  return s;
}
// The plan's words: {zh, en} (English falls back to Chinese).
export function pick(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return current === 'en' && text.en ? text.en : text.zh || text.en || '';
}
// Static elements marked data-i18n / data-i18n-title.
export function translatePage(root = document) {
  for (const n of root.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of root.querySelectorAll('[data-i18n-title]')) n.title = t(n.dataset.i18nTitle);
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

// The server's English messages about a report field, in Chinese (the field's label is the plan's word).
const MESSAGES = [
  [/^must be >= (\S+), got (.+)$/, 'zh', (m) => `须 ≥ ${m[1]}，实为 ${m[2]}`],
  [/^must be <= (\S+), got (.+)$/, 'zh', (m) => `须 ≤ ${m[1]}，实为 ${m[2]}`],
  [/^must be > (\S+), got (.+)$/, 'zh', (m) => `须 > ${m[1]}，实为 ${m[2]}`],
  [/^must be a whole number/, 'zh', () => '须为整数（人）'],
  [/^must be a number/, 'zh', () => '须为数字'],
  [/^must be true or false|^must be a boolean/, 'zh', () => '须为“是”或“否”'],
  [/^missing required field/, 'zh', () => '必填'],
  [/^not an ISO 8601 time/, 'zh', () => '时间须为 ISO 8601 格式并带时区（如 2026-04-04T14:30:00+08:00）'],
  [/^is before open_fire_since/, 'zh', () => '报告时间早于明火开始时间'],
  [/^an extinguished fire must be under control/, 'zh', () => '明火已扑灭，则须已得到有效控制'],
  [/^unknown county '(.+?)'/, 'zh', (m) => `“${m[1]}”不是本市的县（区）`],
  [/is earlier than the last stored report/, 'zh', () => '早于该火情已记录的最新报告（迟报）'],
  [/^unknown field '(.+?)'(?: \(did you mean '(.+?)'\?\))?/, 'zh', (m) => `未知字段“${m[1]}”` + (m[2] ? `（是否为“${m[2]}”？）` : '')],
  [/^incident '(.+?)' is closed/, 'zh', (m) => `火情 ${m[1]} 已结案，新火情请用新编号`],
];
export function fieldMessage(message) {
  if (current === 'en') return message;
  for (const [re, , f] of MESSAGES) {
    const m = re.exec(message);
    if (m) return f(m);
  }
  return message;
}
