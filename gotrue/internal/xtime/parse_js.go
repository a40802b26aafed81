//go:build js

package xtime

// ParseTimestamp reads an RFC 3339 time, as the GoTrue server writes them
// ("2026-11-30T12:34:56.123456Z", or with an offset such as "+01:00"), to
// the millisecond: what package time's parser would give, without it.
func ParseTimestamp(s string) (Time, bool) {
	p := tsParser{s: s, ok: true}
	year := p.digits(4)
	p.expect('-')
	month := p.digits(2)
	p.expect('-')
	day := p.digits(2)
	if p.i < len(s) && (s[p.i] == 'T' || s[p.i] == 't') {
		p.i++
	} else {
		p.ok = false
	}
	hour := p.digits(2)
	p.expect(':')
	minute := p.digits(2)
	p.expect(':')
	sec := p.digits(2)
	var msec int64
	if p.i < len(s) && s[p.i] == '.' {
		p.i++
		start := p.i
		for scale := int64(100); p.i < len(s) && '0' <= s[p.i] && s[p.i] <= '9'; p.i++ {
			msec += int64(s[p.i]-'0') * scale
			scale /= 10
		}
		if p.i == start {
			p.ok = false
		}
	}
	var offset int64 // seconds east of UTC
	switch {
	case p.i < len(s) && (s[p.i] == 'Z' || s[p.i] == 'z'):
		p.i++
	case p.i < len(s) && (s[p.i] == '+' || s[p.i] == '-'):
		sign := int64(1)
		if s[p.i] == '-' {
			sign = -1
		}
		p.i++
		oh := p.digits(2)
		p.expect(':')
		om := p.digits(2)
		if oh > 23 || om > 59 {
			p.ok = false
		}
		offset = sign * (oh*3600 + om*60)
	default:
		p.ok = false
	}
	if !p.ok || p.i != len(s) || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 60 {
		return Time{}, false
	}
	secs := daysFromCivil(year, month, day)*86400 + hour*3600 + minute*60 + sec - offset
	return Time{secs*1000 + msec, true}, true
}

// tsParser reads s from i on; ok turns false at the first mismatch.
type tsParser struct {
	s  string
	i  int
	ok bool
}

func (p *tsParser) digits(n int) int64 {
	var v int64
	for k := 0; k < n; k++ {
		if p.i >= len(p.s) || p.s[p.i] < '0' || p.s[p.i] > '9' {
			p.ok = false
			return 0
		}
		v = v*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	return v
}

func (p *tsParser) expect(c byte) {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return
	}
	p.ok = false
}

func daysIn(year, month int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts the days from 1970-01-01 to the date (Howard
// Hinnant's algorithm, for the proleptic Gregorian calendar).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
