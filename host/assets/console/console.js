// Shared by every console page: translations, the header, the API helper,
// dates, status badges, and the filter, table and error-line plumbing the
// data pages have in common. A classic script (no modules, no build step) that
// defines one global, `Mitra`, for the page scripts loaded after it.
'use strict';

(() => {
  const LANG_KEY = 'mitra.lang';
  const LOGIN = '/console/login';

  // Every string a page shows. Values in the data (names, notes, audit
  // details) are shown as they come; everything around them is here.
  const DICT = {
    en: {
      'app.name': 'Mitra',
      'nav.label': 'Main navigation',
      'nav.dashboard': 'Dashboard',
      'nav.queue': 'Queue',
      'nav.grievances': 'Grievances',
      'nav.payments': 'Payments',
      'nav.services': 'Services',
      'nav.audit': 'Audit',
      'header.logout': 'Log out',
      'lang.label': 'Language',
      'lang.en': 'EN',
      'lang.te': 'తెలుగు',
      'lang.name.en': 'English',
      'lang.name.te': 'Telugu',
      'lang.name.hi': 'Hindi',
      'role.admin': 'Admin',
      'role.officer': 'Officer',
      'role.viewer': 'Viewer',
      'role.level': 'level {level}',
      'common.all': 'All',
      'common.none': '—',
      'error.network': 'Could not reach the server. Trying again…',
      'error.generic': 'Something went wrong (HTTP {status}).',
      'error.charts': 'The charts could not be loaded.',

      'status.submitted': 'Submitted',
      'status.under_review': 'Under review',
      'status.needs_information': 'Needs information',
      'status.approved': 'Approved',
      'status.rejected': 'Rejected',
      'status.delivered': 'Delivered',
      'status.issued': 'Issued',
      'status.open': 'Open',
      'status.in_progress': 'In progress',
      'status.resolved': 'Resolved',
      'status.closed': 'Closed',

      'login.title': 'Sign in · Mitra',
      'login.heading': 'Mitra operator console',
      'login.intro': 'Sign in with your operator account.',
      'login.username': 'Username',
      'login.password': 'Password',
      'login.submit': 'Sign in',
      'login.busy': 'Signing in…',
      'login.failed': 'Sign-in failed.',

      'title.dashboard': 'Dashboard · Mitra',
      'dash.heading': 'Dashboard',
      'dash.filters': 'Filters',
      'dash.csv': 'Download CSV',
      'dash.updated': 'Updated {time}',
      'dash.live': 'Live, refreshes every 10 seconds',
      'filter.department': 'Department',
      'filter.service': 'Service',
      'filter.district': 'District',
      'filter.district_any': 'Any district',
      'filter.from': 'From',
      'filter.to': 'To',
      'filter.status': 'Status',
      'filter.outcome': 'Outcome',
      'filter.open_statuses': 'All open',
      'filter.clear': 'Clear filters',
      'kpi.open': 'Open applications',
      'kpi.breached': 'Past their SLA',
      'kpi.median': 'Median turnaround (hours)',
      'kpi.p90': '90th percentile turnaround (hours)',
      'kpi.backlog': 'Grievances pending',
      'chart.volume': 'WhatsApp messages per hour',
      'chart.applications': 'Applications per day',
      'chart.status': 'Applications by status',
      'chart.turnaround': 'Turnaround by service (hours)',
      'chart.slowest': 'Slowest services (median hours)',
      'chart.sla': 'SLA breaches by department',
      'chart.grievances': 'Pending grievances by age',
      'chart.plugins': 'Plugin calls and errors',
      'chart.empty': 'No data for these filters.',
      'series.in': 'Received',
      'series.out': 'Sent',
      'series.submitted': 'Submitted',
      'series.decided': 'Decided',
      'series.median': 'Median',
      'series.p90': '90th percentile',
      'series.breached': 'Breached',
      'series.grievances': 'Grievances',
      'series.calls': 'Calls',
      'series.errors': 'Errors',
      'series.p99': 'p99 (ms)',
      'series.open': 'Open',
      'axis.hours': 'Hours',
      'axis.count': 'Count',
      'axis.ms': 'Milliseconds',
      'bucket.<1d': 'Under 1 day',
      'bucket.1-3d': '1–3 days',
      'bucket.3-7d': '3–7 days',
      'bucket.>7d': 'Over 7 days',
      'plugins.heading': 'Plugin health',
      'plugins.empty': 'No plugin calls yet.',
      'col.plugin': 'Plugin',
      'col.calls': 'Calls',
      'col.errors': 'Errors',
      'col.traps': 'Traps',
      'col.deadline_hits': 'Deadline hits',
      'col.p99': 'p99 (ms)',

      'title.queue': 'Work queue · Mitra',
      'queue.heading': 'Work queue',
      'queue.intro': 'Open applications of your departments, oldest first.',
      'queue.count': 'Applications: {n}',
      'queue.empty': 'Nothing is waiting: the queue is empty.',
      'col.number': 'Number',
      'col.service': 'Service',
      'col.department': 'Department',
      'col.status': 'Status',
      'col.district': 'District',
      'col.submitted': 'Submitted',
      'col.age': 'Age (days)',
      'col.sla': 'SLA',
      'sla.due': 'SLA due {date}',
      'sla.overdue': 'Overdue',

      'title.application': 'Application · Mitra',
      'app.heading': 'Application',
      'app.back': '← Back to the queue',
      'app.not_found': 'This application could not be opened.',
      'app.details': 'Details',
      'field.service': 'Service',
      'field.department': 'Department',
      'field.district': 'District',
      'field.submitted': 'Submitted',
      'field.updated': 'Last updated',
      'field.decided': 'Decided',
      'field.language': 'Citizen’s language',
      'field.wa_id': 'Citizen’s WhatsApp (masked)',
      'field.remarks': 'Remarks',
      'field.question': 'Open question to the citizen',
      'app.answers': 'Answers',
      'app.no_answers': 'No answers recorded.',
      'col.field': 'Field',
      'col.value': 'Answer',
      'answer.location': 'Location {lat}, {lng}',
      'answer.media': 'Attachment',
      'app.history': 'History',
      'app.no_history': 'No steps yet.',
      'col.at': 'When',
      'col.actor': 'By',
      'col.change': 'Change',
      'col.note': 'Note',
      'app.actions': 'Actions',
      'app.note': 'Remarks, or the question for the citizen',
      'app.no_actions': 'No action is open at this status.',
      'app.viewer': 'You can read this file but not act on it.',
      'action.review': 'Take up for review',
      'action.ask': 'Ask the citizen',
      'action.approve': 'Approve',
      'action.reject': 'Reject',
      'action.deliver': 'Mark delivered',
      'reveal.heading': 'Citizen’s details',
      'reveal.button': 'Reveal citizen’s details',
      'reveal.reason': 'Why do you need them? (kept in the audit log)',
      'reveal.confirm': 'Reveal',
      'reveal.cancel': 'Cancel',
      'reveal.need_reason': 'Give a reason first.',
      'reveal.wa_id': 'WhatsApp number',
      'reveal.profile_name': 'WhatsApp profile name',

      'title.grievances': 'Grievances · Mitra',
      'title.grievance': 'Grievance · Mitra',
      'grv.heading': 'Grievances',
      'grv.intro': 'Grievances of your departments, those due soonest first.',
      'grv.count': 'Grievances: {n}',
      'grv.at_level': '· level {level}',
      'grv.empty': 'No grievances match these filters.',
      'grv.level': 'Level {level}',
      'grv.level_short': 'L{level}',
      'grv.escalated': 'escalated',
      'grv.escalated_to': 'Escalated to level {level}',
      'grv.due': 'Due {date}',
      'grv.reopened': 'Reopened',
      'filter.level': 'Level',
      'filter.level_default': 'Default',
      'filter.level_all': 'All levels',
      'col.ticket': 'Ticket',
      'col.category': 'Category',
      'col.level': 'Level',
      'col.lodged': 'Lodged',
      'col.due': 'Due',
      'col.description': 'Description',
      'category.water': 'Drinking water',
      'category.sanitation': 'Garbage and drains',
      'category.roads': 'Roads, streetlights',
      'category.power': 'Electricity supply',
      'category.ration': 'Ration shop',
      'category.pension': 'Pension not received',
      'category.land': 'Land records',
      'category.bus': 'Bus service',
      'category.temple': 'Temple services',
      'category.other': 'Something else',
      'grv.one': 'Grievance',
      'grv.back': '← Back to grievances',
      'grv.not_found': 'This grievance could not be opened.',
      'field.category': 'Category',
      'field.level': 'Level',
      'field.lodged': 'Lodged',
      'field.due': 'Due',
      'field.resolved': 'Resolved',
      'field.rating': 'Citizen’s rating',
      'field.description': 'Description',
      'field.location': 'Location',
      'field.photo': 'Photo',
      'grv.rating': '{n} of 5',
      'grv.photo_attached': 'Photo attached (media id {id})',
      'grv.note': 'Note for the citizen (sent with the update)',
      'grv.act.start': 'Start work',
      'grv.act.comment': 'Add comment',
      'grv.act.resolve': 'Resolve',
      'grv.need_note': 'Write a note for the citizen first.',
      'grv.forbidden': 'You may not act on this grievance.',
      'grv.viewer': 'You can read this grievance but not act on it.',
      'grv.done.start': 'Work started. The citizen has been told.',
      'grv.done.comment': 'Comment added and sent to the citizen.',
      'grv.done.resolve': 'Marked resolved. The citizen is asked whether they are satisfied.',
      'actor.citizen': 'Citizen',
      'actor.host': 'Mitra (automatic)',
      'event.lodged': 'Lodged',
      'event.started': 'Work started',
      'event.comment': 'Comment',
      'event.resolved': 'Resolved',
      'event.escalated': 'Escalated',
      'event.rated': 'Rated',
      'event.reopened': 'Reopened',

      'title.payments': 'Payments · Mitra',
      'pay.heading': 'Payments',
      'pay.intro': 'Fees paid by UPI in the chat: what came in, what is waiting and what goes back.',
      'pay.csv': 'Download reconciliation CSV',
      'pay.csv_range': 'Orders made {from} to {to}',
      'pay.all_statuses': 'All statuses',
      'pay.kpi.today': 'Collected today',
      'pay.kpi.range': 'Collected in range',
      'pay.kpi.pending': 'Awaiting payment',
      'pay.kpi.failed': 'Failed attempts',
      'pay.kpi.due_back': 'Due back to citizens',
      'pay.kpi.refunded': 'Refunded',
      'pay.payments': 'Payments: {n}',
      'pay.expired': 'Links expired unpaid: {n}',
      'pay.chart': 'Collections per department per day (₹)',
      'pay.orders': 'Orders',
      'pay.count': 'Orders: {n}',
      'pay.count_of': 'Showing {shown} of {n} orders',
      'pay.empty': 'No orders match these filters.',
      'pay.failed_n': 'Failed: {n}',
      'pay.status.created': 'Awaiting payment',
      'pay.status.paid': 'Paid',
      'pay.status.expired': 'Expired',
      'pay.status.refund_due': 'Refund due',
      'pay.status.refunding': 'Refunding',
      'pay.status.refunded': 'Refunded',
      'col.order': 'Order',
      'col.created': 'Created',
      'col.amount': 'Amount',
      'col.gateway_payment': 'Gateway payment',
      'col.paid_at': 'Paid',
      'col.application': 'Application',
      'col.refund': 'Refund',
      'axis.rupees': 'Rupees',
      'kpi.fees_today': 'Fees collected today',
      'kpi.fees_pending': 'Payments awaited',
      'kpi.fees_failed': 'Failed payment attempts',
      'kpi.fees_due_back': 'Fees due back',
      'kpi.fees_refunded': 'Fees refunded',
      'kpi.fees_more': 'Payments →',

      'title.services': 'Services · Mitra',
      'svc.heading': 'Services',
      'svc.intro': 'Every department served and each of its services: how it is delivered, its SLA and fee, and whether it is written as definitions or as code.',
      'svc.kpi.departments': 'Departments',
      'svc.kpi.services': 'Services',
      'svc.kpi.declarative': 'Declarative departments',
      'svc.kpi.code': 'Written as code: {n}',
      'svc.kpi.declarative_services': 'Declarative services: {n}',
      'svc.kpi.of': 'Of {n} departments',
      'svc.delivery': 'Delivery',
      'svc.search': 'Search',
      'svc.search_hint': 'Title or id',
      'svc.declarative_only': 'Declarative only',
      'svc.list': 'Services',
      'svc.count': 'Services: {n}',
      'svc.count_of': 'Showing {shown} of {n} services',
      'svc.empty': 'No services match these filters.',
      'svc.sla': 'SLA',
      'svc.fee': 'Fee',
      'svc.kind': 'Kind',
      'svc.kind.definitions': 'Definitions',
      'svc.kind.code': 'Code',
      'svc.day': '1 day',
      'svc.days': '{n} days',
      'svc.same_day': 'Same day',
      'svc.free': 'Free',
      'svc.delivery.information': 'Information',
      'svc.delivery.instant-document': 'Instant document',
      'svc.delivery.application': 'Application',
      'svc.delivery.booking': 'Booking',
      'svc.delivery.payment': 'Payment',

      'title.audit': 'Audit log · Mitra',
      'audit.heading': 'Audit log',
      'audit.intro': 'The latest 200 entries, newest first.',
      'audit.count': 'Entries: {n}',
      'audit.empty': 'No entries.',
      'col.action': 'Action',
      'col.version': 'Version',
      'col.outcome': 'Outcome',
      'col.detail': 'Detail',
      'outcome.ok': 'OK',
      'outcome.denied': 'Denied',
      'outcome.refused': 'Refused',
      'outcome.error': 'Error',
    },
    te: {
      'app.name': 'మిత్ర',
      'nav.label': 'ప్రధాన మెనూ',
      'nav.dashboard': 'డాష్‌బోర్డ్',
      'nav.queue': 'పని వరుస',
      'nav.grievances': 'ఫిర్యాదులు',
      'nav.payments': 'చెల్లింపులు',
      'nav.services': 'సేవలు',
      'nav.audit': 'ఆడిట్',
      'header.logout': 'లాగ్ అవుట్',
      'lang.label': 'భాష',
      'lang.en': 'EN',
      'lang.te': 'తెలుగు',
      'lang.name.en': 'ఇంగ్లీష్',
      'lang.name.te': 'తెలుగు',
      'lang.name.hi': 'హిందీ',
      'role.admin': 'నిర్వాహకులు',
      'role.officer': 'అధికారి',
      'role.viewer': 'వీక్షకులు',
      'role.level': 'స్థాయి {level}',
      'common.all': 'అన్నీ',
      'common.none': '—',
      'error.network': 'సర్వర్‌ను చేరుకోలేకపోయాం. మళ్లీ ప్రయత్నిస్తున్నాం…',
      'error.generic': 'ఏదో పొరపాటు జరిగింది (HTTP {status}).',
      'error.charts': 'చార్ట్‌లను లోడ్ చేయలేకపోయాం.',

      'status.submitted': 'సమర్పించబడింది',
      'status.under_review': 'పరిశీలనలో ఉంది',
      'status.needs_information': 'మరింత సమాచారం కావాలి',
      'status.approved': 'ఆమోదించబడింది',
      'status.rejected': 'తిరస్కరించబడింది',
      'status.delivered': 'అందజేయబడింది',
      'status.issued': 'జారీ చేయబడింది',
      'status.open': 'తెరిచి ఉంది',
      'status.in_progress': 'పని జరుగుతోంది',
      'status.resolved': 'పరిష్కరించబడింది',
      'status.closed': 'ముగిసింది',

      'login.title': 'సైన్ ఇన్ · మిత్ర',
      'login.heading': 'మిత్ర ఆపరేటర్ కన్సోల్',
      'login.intro': 'మీ ఆపరేటర్ ఖాతాతో సైన్ ఇన్ చేయండి.',
      'login.username': 'వినియోగదారు పేరు',
      'login.password': 'పాస్‌వర్డ్',
      'login.submit': 'సైన్ ఇన్ చేయండి',
      'login.busy': 'సైన్ ఇన్ అవుతోంది…',
      'login.failed': 'సైన్ ఇన్ విఫలమైంది.',

      'title.dashboard': 'డాష్‌బోర్డ్ · మిత్ర',
      'dash.heading': 'డాష్‌బోర్డ్',
      'dash.filters': 'ఫిల్టర్లు',
      'dash.csv': 'CSV డౌన్‌లోడ్ చేయండి',
      'dash.updated': '{time}కి నవీకరించబడింది',
      'dash.live': 'ప్రత్యక్షం, ప్రతి 10 సెకన్లకు నవీకరిస్తుంది',
      'filter.department': 'శాఖ',
      'filter.service': 'సేవ',
      'filter.district': 'జిల్లా',
      'filter.district_any': 'ఏ జిల్లా అయినా',
      'filter.from': 'ఈ తేదీ నుండి',
      'filter.to': 'ఈ తేదీ వరకు',
      'filter.status': 'స్థితి',
      'filter.outcome': 'ఫలితం',
      'filter.open_statuses': 'పెండింగ్‌లో ఉన్నవన్నీ',
      'filter.clear': 'ఫిల్టర్లు తొలగించండి',
      'kpi.open': 'పెండింగ్ దరఖాస్తులు',
      'kpi.breached': 'గడువు దాటినవి',
      'kpi.median': 'మధ్యస్థ పరిష్కార సమయం (గంటలు)',
      'kpi.p90': '90వ శాతాంశ పరిష్కార సమయం (గంటలు)',
      'kpi.backlog': 'పెండింగ్ ఫిర్యాదులు',
      'chart.volume': 'గంటకు వాట్సాప్ సందేశాలు',
      'chart.applications': 'రోజుకు దరఖాస్తులు',
      'chart.status': 'స్థితి వారీగా దరఖాస్తులు',
      'chart.turnaround': 'సేవ వారీగా పరిష్కార సమయం (గంటలు)',
      'chart.slowest': 'అత్యంత ఆలస్యమయ్యే సేవలు (మధ్యస్థ గంటలు)',
      'chart.sla': 'శాఖ వారీగా గడువు ఉల్లంఘనలు',
      'chart.grievances': 'పెండింగ్ ఫిర్యాదులు, వయస్సు వారీగా',
      'chart.plugins': 'ప్లగిన్ కాల్‌లు, లోపాలు',
      'chart.empty': 'ఈ ఫిల్టర్లకు సమాచారం లేదు.',
      'series.in': 'వచ్చినవి',
      'series.out': 'పంపినవి',
      'series.submitted': 'సమర్పించినవి',
      'series.decided': 'నిర్ణయించినవి',
      'series.median': 'మధ్యస్థం',
      'series.p90': '90వ శాతాంశం',
      'series.breached': 'గడువు దాటినవి',
      'series.grievances': 'ఫిర్యాదులు',
      'series.calls': 'కాల్‌లు',
      'series.errors': 'లోపాలు',
      'series.p99': 'p99 (మి.సె.)',
      'series.open': 'పెండింగ్',
      'axis.hours': 'గంటలు',
      'axis.count': 'సంఖ్య',
      'axis.ms': 'మిల్లీసెకన్లు',
      'bucket.<1d': 'ఒక రోజు లోపు',
      'bucket.1-3d': '1–3 రోజులు',
      'bucket.3-7d': '3–7 రోజులు',
      'bucket.>7d': '7 రోజులకు పైగా',
      'plugins.heading': 'ప్లగిన్‌ల పనితీరు',
      'plugins.empty': 'ఇంకా ప్లగిన్ కాల్‌లు లేవు.',
      'col.plugin': 'ప్లగిన్',
      'col.calls': 'కాల్‌లు',
      'col.errors': 'లోపాలు',
      'col.traps': 'ట్రాప్‌లు',
      'col.deadline_hits': 'సమయ పరిమితి దాటినవి',
      'col.p99': 'p99 (మి.సె.)',

      'title.queue': 'పని వరుస · మిత్ర',
      'queue.heading': 'పని వరుస',
      'queue.intro': 'మీ శాఖల పెండింగ్ దరఖాస్తులు, పాతవి ముందు.',
      'queue.count': 'దరఖాస్తులు: {n}',
      'queue.empty': 'ఏదీ పెండింగ్‌లో లేదు: వరుస ఖాళీగా ఉంది.',
      'col.number': 'దరఖాస్తు సంఖ్య',
      'col.service': 'సేవ',
      'col.department': 'శాఖ',
      'col.status': 'స్థితి',
      'col.district': 'జిల్లా',
      'col.submitted': 'సమర్పించిన తేదీ',
      'col.age': 'గడిచిన రోజులు',
      'col.sla': 'గడువు',
      'sla.due': 'గడువు {date}',
      'sla.overdue': 'గడువు దాటింది',

      'title.application': 'దరఖాస్తు · మిత్ర',
      'app.heading': 'దరఖాస్తు',
      'app.back': '← పని వరుసకు తిరిగి',
      'app.not_found': 'ఈ దరఖాస్తును తెరవలేకపోయాం.',
      'app.details': 'వివరాలు',
      'field.service': 'సేవ',
      'field.department': 'శాఖ',
      'field.district': 'జిల్లా',
      'field.submitted': 'సమర్పించిన సమయం',
      'field.updated': 'చివరి మార్పు',
      'field.decided': 'నిర్ణయించిన సమయం',
      'field.language': 'పౌరుని భాష',
      'field.wa_id': 'పౌరుని వాట్సాప్ (దాచబడింది)',
      'field.remarks': 'వ్యాఖ్యలు',
      'field.question': 'పౌరునికి అడిగిన ప్రశ్న',
      'app.answers': 'జవాబులు',
      'app.no_answers': 'జవాబులు నమోదు కాలేదు.',
      'col.field': 'అంశం',
      'col.value': 'జవాబు',
      'answer.location': 'స్థానం {lat}, {lng}',
      'answer.media': 'జోడింపు',
      'app.history': 'చరిత్ర',
      'app.no_history': 'ఇంకా ఏ చర్యా జరగలేదు.',
      'col.at': 'ఎప్పుడు',
      'col.actor': 'ఎవరు',
      'col.change': 'మార్పు',
      'col.note': 'గమనిక',
      'app.actions': 'చర్యలు',
      'app.note': 'వ్యాఖ్యలు, లేదా పౌరునికి ప్రశ్న',
      'app.no_actions': 'ఈ స్థితిలో చేయాల్సిన చర్య లేదు.',
      'app.viewer': 'మీరు ఈ ఫైల్‌ను చదవగలరు, కానీ చర్య తీసుకోలేరు.',
      'action.review': 'పరిశీలనకు తీసుకోండి',
      'action.ask': 'పౌరుని అడగండి',
      'action.approve': 'ఆమోదించండి',
      'action.reject': 'తిరస్కరించండి',
      'action.deliver': 'అందజేసినట్లు గుర్తించండి',
      'reveal.heading': 'పౌరుని వివరాలు',
      'reveal.button': 'పౌరుని వివరాలు చూపించండి',
      'reveal.reason': 'ఇవి ఎందుకు కావాలి? (ఆడిట్ రికార్డులో నమోదవుతుంది)',
      'reveal.confirm': 'చూపించండి',
      'reveal.cancel': 'రద్దు చేయండి',
      'reveal.need_reason': 'ముందుగా కారణం తెలపండి.',
      'reveal.wa_id': 'వాట్సాప్ నంబర్',
      'reveal.profile_name': 'వాట్సాప్ ప్రొఫైల్ పేరు',

      'title.grievances': 'ఫిర్యాదులు · మిత్ర',
      'title.grievance': 'ఫిర్యాదు · మిత్ర',
      'grv.heading': 'ఫిర్యాదులు',
      'grv.intro': 'మీ శాఖల ఫిర్యాదులు, గడువు ముందుగా ముగిసేవి ముందు.',
      'grv.count': 'ఫిర్యాదులు: {n}',
      'grv.at_level': '· స్థాయి {level}',
      'grv.empty': 'ఈ ఫిల్టర్లకు సరిపోయే ఫిర్యాదులు లేవు.',
      'grv.level': 'స్థాయి {level}',
      'grv.level_short': 'స్థాయి {level}',
      'grv.escalated': 'పై అధికారికి పంపబడింది',
      'grv.escalated_to': 'స్థాయి {level}కి పంపబడింది',
      'grv.due': 'గడువు {date}',
      'grv.reopened': 'మళ్లీ తెరవబడింది',
      'filter.level': 'స్థాయి',
      'filter.level_default': 'డిఫాల్ట్',
      'filter.level_all': 'అన్ని స్థాయిలు',
      'col.ticket': 'టికెట్',
      'col.category': 'రకం',
      'col.level': 'స్థాయి',
      'col.lodged': 'నమోదు తేదీ',
      'col.due': 'గడువు',
      'col.description': 'వివరణ',
      'category.water': 'తాగునీరు',
      'category.sanitation': 'చెత్త, మురుగు కాలువలు',
      'category.roads': 'రోడ్లు, వీధి దీపాలు',
      'category.power': 'విద్యుత్ సరఫరా',
      'category.ration': 'రేషన్ దుకాణం',
      'category.pension': 'పింఛను అందలేదు',
      'category.land': 'భూమి రికార్డులు',
      'category.bus': 'బస్సు సేవ',
      'category.temple': 'దేవాలయ సేవలు',
      'category.other': 'ఇతర సమస్య',
      'grv.one': 'ఫిర్యాదు',
      'grv.back': '← ఫిర్యాదులకు తిరిగి',
      'grv.not_found': 'ఈ ఫిర్యాదును తెరవలేకపోయాం.',
      'field.category': 'రకం',
      'field.level': 'స్థాయి',
      'field.lodged': 'నమోదు చేసిన సమయం',
      'field.due': 'గడువు',
      'field.resolved': 'పరిష్కరించిన సమయం',
      'field.rating': 'పౌరుని రేటింగ్',
      'field.description': 'వివరణ',
      'field.location': 'స్థలం',
      'field.photo': 'ఫోటో',
      'grv.rating': '5కి {n}',
      'grv.photo_attached': 'ఫోటో జోడించబడింది (మీడియా ఐడి {id})',
      'grv.note': 'పౌరునికి గమనిక (సమాచారంతో పాటు పంపబడుతుంది)',
      'grv.act.start': 'పని ప్రారంభించండి',
      'grv.act.comment': 'వ్యాఖ్య జోడించండి',
      'grv.act.resolve': 'పరిష్కరించినట్లు గుర్తించండి',
      'grv.need_note': 'ముందుగా పౌరునికి గమనిక రాయండి.',
      'grv.forbidden': 'ఈ ఫిర్యాదుపై చర్య తీసుకునే అనుమతి మీకు లేదు.',
      'grv.viewer': 'మీరు ఈ ఫిర్యాదును చదవగలరు, కానీ చర్య తీసుకోలేరు.',
      'grv.done.start': 'పని ప్రారంభమైంది. పౌరునికి తెలియజేశాం.',
      'grv.done.comment': 'వ్యాఖ్య జోడించి పౌరునికి పంపాం.',
      'grv.done.resolve': 'పరిష్కరించినట్లు గుర్తించాం. పౌరుని సంతృప్తి గురించి అడిగాం.',
      'actor.citizen': 'పౌరుడు',
      'actor.host': 'మిత్ర (స్వయంచాలకం)',
      'event.lodged': 'నమోదైంది',
      'event.started': 'పని ప్రారంభమైంది',
      'event.comment': 'వ్యాఖ్య',
      'event.resolved': 'పరిష్కరించబడింది',
      'event.escalated': 'పై అధికారికి పంపబడింది',
      'event.rated': 'రేటింగ్ ఇచ్చారు',
      'event.reopened': 'మళ్లీ తెరవబడింది',

      'title.payments': 'చెల్లింపులు · మిత్ర',
      'pay.heading': 'చెల్లింపులు',
      'pay.intro': 'చాట్‌లో UPI ద్వారా చెల్లించిన రుసుములు: వచ్చినవి, ఎదురుచూస్తున్నవి, తిరిగి ఇవ్వాల్సినవి.',
      'pay.csv': 'లెక్కల సరిపోలిక CSV డౌన్‌లోడ్ చేయండి',
      'pay.csv_range': '{from} నుండి {to} వరకు చేసిన ఆర్డర్లు',
      'pay.all_statuses': 'అన్ని స్థితులు',
      'pay.kpi.today': 'ఈరోజు వసూలైనది',
      'pay.kpi.range': 'ఈ కాలంలో వసూలైనది',
      'pay.kpi.pending': 'చెల్లింపు కోసం ఎదురుచూస్తున్నవి',
      'pay.kpi.failed': 'విఫలమైన ప్రయత్నాలు',
      'pay.kpi.due_back': 'పౌరులకు తిరిగి ఇవ్వాల్సినవి',
      'pay.kpi.refunded': 'తిరిగి చెల్లించినవి',
      'pay.payments': 'చెల్లింపులు: {n}',
      'pay.expired': 'చెల్లించకుండా గడువు ముగిసిన లింక్‌లు: {n}',
      'pay.chart': 'శాఖ వారీగా రోజువారీ వసూళ్లు (₹)',
      'pay.orders': 'ఆర్డర్లు',
      'pay.count': 'ఆర్డర్లు: {n}',
      'pay.count_of': '{n} ఆర్డర్లలో {shown} చూపిస్తున్నాం',
      'pay.empty': 'ఈ ఫిల్టర్లకు సరిపోయే ఆర్డర్లు లేవు.',
      'pay.failed_n': 'విఫలం: {n}',
      'pay.status.created': 'చెల్లింపు కోసం ఎదురుచూపు',
      'pay.status.paid': 'చెల్లించబడింది',
      'pay.status.expired': 'గడువు ముగిసింది',
      'pay.status.refund_due': 'తిరిగి ఇవ్వాలి',
      'pay.status.refunding': 'తిరిగి చెల్లిస్తున్నాం',
      'pay.status.refunded': 'తిరిగి చెల్లించబడింది',
      'col.order': 'ఆర్డర్',
      'col.created': 'సృష్టించిన సమయం',
      'col.amount': 'మొత్తం',
      'col.gateway_payment': 'గేట్‌వే చెల్లింపు',
      'col.paid_at': 'చెల్లించిన సమయం',
      'col.application': 'దరఖాస్తు',
      'col.refund': 'వాపసు',
      'axis.rupees': 'రూపాయలు',
      'kpi.fees_today': 'ఈరోజు వసూలైన రుసుములు',
      'kpi.fees_pending': 'ఎదురుచూస్తున్న చెల్లింపులు',
      'kpi.fees_failed': 'విఫలమైన చెల్లింపు ప్రయత్నాలు',
      'kpi.fees_due_back': 'తిరిగి ఇవ్వాల్సిన రుసుములు',
      'kpi.fees_refunded': 'తిరిగి చెల్లించిన రుసుములు',
      'kpi.fees_more': 'చెల్లింపులు →',

      'title.services': 'సేవలు · మిత్ర',
      'svc.heading': 'సేవలు',
      'svc.intro': 'అందిస్తున్న ప్రతి శాఖ, దాని ప్రతి సేవ: ఎలా అందుతుంది, గడువు, రుసుము, నిర్వచనాలుగా రాసినదా లేక కోడ్‌గానా.',
      'svc.kpi.departments': 'శాఖలు',
      'svc.kpi.services': 'సేవలు',
      'svc.kpi.declarative': 'నిర్వచనాలతో నడిచే శాఖలు',
      'svc.kpi.code': 'కోడ్‌గా రాసినవి: {n}',
      'svc.kpi.declarative_services': 'నిర్వచనాలతో నడిచే సేవలు: {n}',
      'svc.kpi.of': 'మొత్తం {n} శాఖలలో',
      'svc.delivery': 'అందే విధానం',
      'svc.search': 'వెతకండి',
      'svc.search_hint': 'పేరు లేదా ఐడి',
      'svc.declarative_only': 'నిర్వచనాలవి మాత్రమే',
      'svc.list': 'సేవలు',
      'svc.count': 'సేవలు: {n}',
      'svc.count_of': '{n} సేవలలో {shown} చూపిస్తున్నాం',
      'svc.empty': 'ఈ ఫిల్టర్లకు సరిపోయే సేవలు లేవు.',
      'svc.sla': 'గడువు',
      'svc.fee': 'రుసుము',
      'svc.kind': 'రకం',
      'svc.kind.definitions': 'నిర్వచనాలు',
      'svc.kind.code': 'కోడ్',
      'svc.day': '1 రోజు',
      'svc.days': '{n} రోజులు',
      'svc.same_day': 'అదే రోజు',
      'svc.free': 'ఉచితం',
      'svc.delivery.information': 'సమాచారం',
      'svc.delivery.instant-document': 'వెంటనే పత్రం',
      'svc.delivery.application': 'దరఖాస్తు',
      'svc.delivery.booking': 'బుకింగ్',
      'svc.delivery.payment': 'చెల్లింపు',

      'title.audit': 'ఆడిట్ రికార్డు · మిత్ర',
      'audit.heading': 'ఆడిట్ రికార్డు',
      'audit.intro': 'తాజా 200 నమోదులు, కొత్తవి ముందు.',
      'audit.count': 'నమోదులు: {n}',
      'audit.empty': 'నమోదులు లేవు.',
      'col.action': 'చర్య',
      'col.version': 'వెర్షన్',
      'col.outcome': 'ఫలితం',
      'col.detail': 'వివరాలు',
      'outcome.ok': 'సరే',
      'outcome.denied': 'అనుమతి నిరాకరించబడింది',
      'outcome.refused': 'తిరస్కరించబడింది',
      'outcome.error': 'లోపం',
    },
  };

  const STATUSES = ['submitted', 'under_review', 'needs_information', 'approved', 'rejected', 'delivered', 'issued'];
  // A grievance's statuses, and those an officer still works on.
  const GRIEVANCE_STATUSES = ['open', 'in_progress', 'resolved', 'closed'];
  const GRIEVANCE_OPEN = ['open', 'in_progress'];
  // A fee order's statuses (GET /admin/payments says `expired` for a link
  // that ran out unpaid).
  const PAYMENT_STATUSES = ['created', 'paid', 'expired', 'refund_due', 'refunding', 'refunded'];

  let lang = localStorage.getItem(LANG_KEY) === 'te' ? 'te' : 'en';
  const langListeners = [];

  function has(key) {
    return Object.prototype.hasOwnProperty.call(DICT[lang], key);
  }

  // A missing Telugu string falls back to English, then to the key itself,
  // so a gap shows up as readable text rather than "undefined".
  function t(key, vars) {
    let text = DICT[lang][key] ?? DICT.en[key] ?? key;
    if (vars) {
      for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
    }
    return text;
  }

  function applyI18n(root = document) {
    document.documentElement.lang = lang;
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
    for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
      el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
    }
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
    }
  }

  function setLang(next) {
    if (next !== 'en' && next !== 'te') return;
    lang = next;
    localStorage.setItem(LANG_KEY, lang);
    applyI18n();
    for (const listener of langListeners) listener(lang);
  }

  // Data-driven parts (tables, charts) redraw themselves on a switch.
  function onLang(listener) {
    langListeners.push(listener);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // JSON in, JSON out, with the console's cookie. A 401 anywhere but the
  // login form means the session is gone: back to the login page.
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, t('error.network'));
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (response.status === 401 && path !== '/console/login') {
      location = LOGIN;
      throw new ApiError(401, (data && data.error) || t('login.failed'));
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || t('error.generic', { status: response.status }));
    }
    return data;
  }

  // India has one zone and no daylight saving, so Intl with Asia/Kolkata is
  // exact; the parts are reassembled to DD-MM-YYYY HH:MM whatever the locale.
  const dateParts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });

  function parts(ms) {
    const out = {};
    for (const p of dateParts.formatToParts(new Date(ms))) out[p.type] = p.value;
    return out;
  }

  function fmtDateTime(ms) {
    if (ms === null || ms === undefined || !Number.isFinite(Number(ms))) return t('common.none');
    const p = parts(Number(ms));
    return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
  }

  function fmtDate(ms) {
    if (ms === null || ms === undefined || !Number.isFinite(Number(ms))) return t('common.none');
    const p = parts(Number(ms));
    return `${p.day}-${p.month}-${p.year}`;
  }

  function fmtTime(ms) {
    const p = parts(Number(ms));
    return `${p.hour}:${p.minute}`;
  }

  // A calendar day as the API writes it (YYYY-MM-DD) in the console's order.
  function fmtDay(day) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day ?? ''));
    return m ? `${m[3]}-${m[2]}-${m[1]}` : String(day ?? t('common.none'));
  }

  const numberFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });

  function fmtNumber(n) {
    return n === null || n === undefined || !Number.isFinite(Number(n)) ? t('common.none') : numberFormat.format(n);
  }

  // Paise as rupees, ₹1,250.00 (Indian digit grouping).
  const rupeeFormat = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

  function fmtRupees(paise) {
    return paise === null || paise === undefined || !Number.isFinite(Number(paise))
      ? t('common.none')
      : rupeeFormat.format(Number(paise) / 100);
  }

  function statusLabel(status) {
    return DICT.en[`status.${status}`] ? t(`status.${status}`) : String(status ?? '');
  }

  function badge(status) {
    const span = document.createElement('span');
    const known = STATUSES.includes(status) || GRIEVANCE_STATUSES.includes(status);
    span.className = `badge status-${known ? status : 'unknown'}`;
    span.dataset.status = status ?? '';
    span.textContent = statusLabel(status);
    return span;
  }

  // A grievance category's name, or its id if the console does not know it.
  function categoryLabel(id) {
    return has(`category.${id}`) || DICT.en[`category.${id}`] ? t(`category.${id}`) : String(id ?? '');
  }

  // A grievance's escalation level, "L2"; one escalated above the first
  // level stands out and says so on hover.
  function levelBadge(level) {
    const n = Number(level) || 1;
    const span = document.createElement('span');
    span.className = n > 1 ? 'badge level level-escalated' : 'badge level';
    span.dataset.level = String(n);
    span.textContent = t('grv.level_short', { level: n });
    span.title = n > 1 ? t('grv.escalated_to', { level: n }) : t('grv.level', { level: n });
    return span;
  }

  // At most `max` characters (whole graphemes, so a Telugu letter keeps its
  // vowel sign), with an ellipsis if anything was cut.
  function truncate(text, max) {
    const s = String(text ?? '').replace(/\s+/g, ' ').trim();
    const pieces =
      typeof Intl.Segmenter === 'function'
        ? Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (p) => p.segment)
        : Array.from(s);
    return pieces.length <= max ? s : `${pieces.slice(0, max - 1).join('').trimEnd()}…`;
  }

  // Builds an element: el('td', {className: 'num'}, 'text', childNode).
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key === 'attrs') for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
        else node[key] = value;
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // A name the API gives in both languages ({en, te}), or a plain string.
  function pick(name, fallback) {
    if (name && typeof name === 'object') return name[lang] || name.en || fallback;
    return name || fallback;
  }

  function roleLabel(me) {
    const role = has(`role.${me.role}`) ? t(`role.${me.role}`) : String(me.role ?? '');
    return me.role === 'officer' && me.level ? `${role}, ${t('role.level', { level: me.level })}` : role;
  }

  function wireLangToggle() {
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.addEventListener('click', () => setLang(button.dataset.lang));
    }
  }

  // Polls while the tab is shown: a tab left in the background does not
  // load the host, and catches up as soon as it is shown again.
  function every(ms, fn) {
    setInterval(() => {
      if (!document.hidden) fn();
    }, ms);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) fn();
    });
  }

  // ---- Page plumbing shared by the dashboard, queue, audit and file pages --

  // A page's filters, kept in its URL too so a reload or a shared link keeps
  // them. `keys` are their names, in the order the URL lists them; `inputs`
  // maps the keys read back from the form on every change to their fields.
  // A page may keep other keys out of `inputs` (the dashboard's department
  // and service, where choosing one changes the other), set them in `values`
  // itself and call `changed()`. Options: `form`, whose submit applies the
  // filters and whose reset clears them; `debounce`, key → ms, for a typed
  // field that applies when the operator pauses rather than on every key.
  // Nothing is written to the URL until a change or `writeUrl()`.
  function filters(keys, inputs, { form, debounce = {} } = {}) {
    const values = {};
    const initial = new URLSearchParams(location.search);
    for (const key of keys) values[key] = initial.get(key) || '';
    // A select's options are the page's to build (often from an answer yet
    // to come), so the page sets its value when it fills it.
    for (const [key, input] of Object.entries(inputs)) if (input.tagName !== 'SELECT') input.value = values[key];
    const listeners = [];

    // Typed text is trimmed; a select's or date's value is used as it is.
    const read = (input) => (input.type === 'text' ? input.value.trim() : input.value);

    function query() {
      const q = new URLSearchParams();
      for (const key of keys) if (values[key]) q.set(key, values[key]);
      return q.toString();
    }

    // replaceState, not pushState: Back leaves the page rather than stepping
    // through every filter tried.
    function writeUrl() {
      const search = query();
      history.replaceState(null, '', search ? `?${search}` : location.pathname);
    }

    function changed() {
      for (const [key, input] of Object.entries(inputs)) values[key] = read(input);
      writeUrl();
      for (const listener of listeners) listener(values);
    }

    for (const [key, input] of Object.entries(inputs)) {
      const wait = debounce[key];
      if (wait) {
        let typing = 0;
        input.addEventListener('input', () => {
          clearTimeout(typing);
          typing = setTimeout(changed, wait);
        });
        input.addEventListener('change', () => {
          clearTimeout(typing);
          changed();
        });
      } else {
        input.addEventListener('change', changed);
      }
    }
    if (form) {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        changed();
      });
      form.addEventListener('reset', () => {
        for (const key of keys) values[key] = '';
        // The form resets its fields after this event: read them after it.
        setTimeout(changed, 0);
      });
    }

    return { values, query, writeUrl, changed, onChange: (listener) => listeners.push(listener) };
  }

  // Refills a filter's <select>: first the "any" choice (value ''), then an
  // option per [value, label], and selects `selected` again.
  function fillSelect(select, anyLabel, entries, selected) {
    select.replaceChildren(
      el('option', { value: '' }, anyLabel),
      ...entries.map(([value, label]) => el('option', { value }, label)),
    );
    select.value = selected;
  }

  // A page's error line (<p class="error" role="alert" id=…>). The function
  // returned shows an error's message, or a string as it is, and empties
  // the line when given nothing. A 401 is not shown: api() is already taking
  // the operator to the login page.
  function errorBox(id) {
    const node = document.getElementById(id);
    return (e) => {
      if (e && e.status === 401) return;
      node.textContent = !e ? '' : typeof e === 'string' ? e : e.message || String(e);
    };
  }

  // Fills table #id's body with a row per item (`row(item)` builds the
  // <tr>) and shows its empty-state note, #id-empty, only when there are
  // none. With `countKey`, #id-count says how many, in that string.
  function table(id, items, row, countKey) {
    document.getElementById(id).tBodies[0].replaceChildren(...items.map((item) => row(item)));
    document.getElementById(`${id}-empty`).hidden = items.length > 0;
    if (countKey) document.getElementById(`${id}-count`).textContent = t(countKey, { n: fmtNumber(items.length) });
  }

  // GET `path()` for a page that refreshes itself; returns refresh(force).
  // Each request is numbered and only the newest one's answer is handed to
  // `onData`, so a slow answer for old filters never overwrites the current
  // ones. A refresh without `force` (the timer's) is skipped while one is on
  // its way; a forced one (a filter change) supersedes it. Errors, and the
  // all-clear before each drawn answer, go to `showError`.
  function loader(path, onData, showError) {
    let seq = 0;
    let busy = false;
    return async function refresh(force) {
      if (busy && !force) return;
      const mine = ++seq;
      busy = true;
      try {
        const data = await api('GET', path());
        if (mine !== seq) return;
        showError(null);
        onData(data);
      } catch (e) {
        if (mine === seq) showError(e);
      } finally {
        if (mine === seq) busy = false;
      }
    };
  }

  let me = null;

  // The top bar of the signed-in pages: who is signed in, language, logout.
  async function header() {
    const who = document.getElementById('operator');
    const logout = document.getElementById('logout');
    if (logout) {
      logout.addEventListener('click', async () => {
        logout.disabled = true;
        try {
          await api('POST', '/console/logout');
        } catch (e) {
          // Signed out or not, the login page is where to go next.
        }
        location = LOGIN;
      });
    }
    me = await api('GET', '/console/me');
    const render = () => {
      if (!who) return;
      who.replaceChildren(el('span', { className: 'who-name' }, me.name), el('span', { className: 'who-role' }, roleLabel(me)));
    };
    render();
    onLang(render);
    return me;
  }

  // Called by each page script once the DOM is parsed (scripts are `defer`).
  function init() {
    applyI18n();
    wireLangToggle();
  }

  // The key a record page is for: the part of the path after `prefix`
  // (/console/applications/<number>, /console/grievances/<ticket>).
  function pathKey(prefix) {
    const path = location.pathname;
    const rest = path.startsWith(prefix) ? path.slice(prefix.length) : path.split('/').pop();
    try {
      return decodeURIComponent(rest.replace(/\/+$/, ''));
    } catch (e) {
      return rest;
    }
  }

  // Sets element `id`'s text, or the "none" word when there is no value.
  function setText(id, value) {
    document.getElementById(id).textContent =
      value === null || value === undefined || value === '' ? t('common.none') : String(value);
  }

  window.Mitra = {
    STATUSES,
    GRIEVANCE_STATUSES,
    GRIEVANCE_OPEN,
    PAYMENT_STATUSES,
    t,
    has: (key) => has(key) || Object.prototype.hasOwnProperty.call(DICT.en, key),
    lang: () => lang,
    setLang,
    onLang,
    applyI18n,
    api,
    ApiError,
    fmtDateTime,
    fmtDate,
    fmtTime,
    fmtDay,
    fmtNumber,
    fmtRupees,
    statusLabel,
    badge,
    categoryLabel,
    levelBadge,
    truncate,
    el,
    pick,
    header,
    me: () => me,
    every,
    filters,
    fillSelect,
    errorBox,
    pathKey,
    setText,
    table,
    loader,
    init,
  };
})();
