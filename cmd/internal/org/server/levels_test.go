package server

import "net/url"

// The security table's rows of levels.go's routes: unit A stands for the
// {unit} of a path, the year is 2024.
func init() {
	for k, e := range map[string]endpoint{
		"GET /region/{year}":               {path: "/region/2024"},
		"POST /region/{year}/sum":          {path: "/region/2024/sum", form: url.Values{"agency": {"城南县人民政府"}, "allow-missing": {"1"}}},
		"POST /region/{year}/upload":       {path: "/region/2024/upload", file: true},
		"POST /region/{year}/submit":       {path: "/region/2024/submit", form: url.Values{}},
		"GET /region/{year}/export/{ext}":  {path: "/region/2024/export/xlsx"},
		"GET /region/{year}/workbook.xlsx": {path: "/region/2024/workbook.xlsx"},
		"POST /region/{year}/send":         {path: "/region/2024/send", form: url.Values{"url": {"http://127.0.0.1:1"}, "login": {"x"}, "password": {"y"}}},
		"GET /api/v1/region/{year}":        {path: "/api/v1/region/2024"},
		"GET /roster/units":                {path: "/roster/units"},
		"POST /roster/units":               {path: "/roster/units", form: url.Values{"agency": {"城南县新设局"}, "level": {"县"}, "role": {"部门"}}},
		"POST /roster/units/{id}":          {path: "/roster/units/{unit}", form: url.Values{"agency": {"城南县改名局"}, "level": {"县"}, "role": {"部门"}}},
		"POST /roster/units/{id}/remove":   {path: "/roster/units/{unit}/remove", form: url.Values{}},
		"GET /api/v1/roster/history":       {path: "/api/v1/roster/history"},
	} {
		table[k] = e
	}
}
